/** Dependency rules from DESIGN.md §2, checked by `npm run lint`. */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'protocol-is-leaf',
      comment: 'src/protocol is the wire contract: it imports nothing internal and does no I/O.',
      severity: 'error',
      from: { path: '^src/protocol', pathNot: '\\.test\\.ts$' },
      // (^|/): in a git worktree node_modules is a symlink and resolves to ../main/node_modules.
      to: { pathNot: ['^src/protocol', '(^|/)node_modules/@sinclair/typebox'] },
    },
    {
      name: 'options-is-leaf',
      comment: 'src/options is shared by agent and server: pure, imports only src/protocol.',
      severity: 'error',
      from: { path: '^src/options', pathNot: '\\.test\\.ts$' },
      to: { path: ['^src/', '^(node:)?(fs|net|http|https|child_process)$'], pathNot: ['^src/options', '^src/protocol'] },
    },
    {
      name: 'pure-modules-no-io',
      comment: 'core, forecast and the pure tsdb parts (codec, head, rollup) are pure: no node I/O modules, no storage, no http.',
      severity: 'error',
      from: { path: ['^src/server/core', '^src/server/forecast', '^src/server/tsdb/(codec|head|rollup)/'] },
      to: {
        path: ['^(node:)?(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)$', '^src/server/(storage|http|live|notify)', 'better-sqlite3', '^node_modules/pg'],
      },
    },
    {
      name: 'concrete-backends-only-in-main',
      comment: 'Only main.ts and tests pick concrete backends (storage/sqlite, storage/postgres, live/redis) and channels.',
      severity: 'error',
      from: { path: '^src/server', pathNot: ['^src/server/main\\.ts$', '\\.test\\.ts$', '^src/server/testing/', '^src/server/storage/(sqlite|postgres|testing)/', '^src/server/storage/open-storage\\.ts$', '^src/server/live/redis', '^src/server/notify/channels/index\\.ts$'] },
      to: { path: ['^src/server/storage/(sqlite|postgres)/', '^src/server/live/redis', '^src/server/notify/channels/[^/]+/'] },
    },
    {
      name: 'alerting-does-not-import-notify',
      severity: 'error',
      from: { path: '^src/server/alerting' },
      to: { path: '^src/server/notify' },
    },
    {
      name: 'only-app-imports-http',
      comment: 'Business logic never sees a Fastify request; only app.ts (and tests) import http/.',
      severity: 'error',
      from: { path: '^src/server', pathNot: ['^src/server/http/', '^src/server/app\\.ts$', '\\.test\\.ts$'] },
      to: { path: '^src/server/http/' },
    },
    {
      name: 'no-fastify-outside-http',
      severity: 'error',
      from: { path: '^src/server', pathNot: ['^src/server/http/', '^src/server/app\\.ts$', '^src/server/main\\.ts$', '^src/server/testing/', '\\.test\\.ts$'] },
      to: { path: ['^node_modules/fastify', '^node_modules/@fastify/'] },
    },
    {
      name: 'agent-imports-only-protocol',
      severity: 'error',
      from: { path: '^src/agent' },
      to: { path: '^src/', pathNot: ['^src/agent', '^src/protocol', '^src/options'] },
    },
    {
      name: 'agent-runtime-without-typebox',
      comment: 'TypeBox costs the agent ~15 MB of RSS: agent code uses protocol/security-event-contract and types only from protocol/security.',
      severity: 'error',
      from: { path: '^src/agent', pathNot: '\\.test\\.ts$' },
      to: { path: ['^node_modules/@sinclair/typebox', '^src/protocol/security\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-imports-only-protocol',
      severity: 'error',
      from: { path: '^web/src' },
      to: { path: '^src/', pathNot: '^src/protocol' },
    },
    {
      name: 'no-junk-drawers',
      comment: 'No utils/helpers/common/misc folders: name the thing or put it where it belongs.',
      severity: 'error',
      from: {},
      to: { path: '/(utils|helpers|common|misc)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist', '^web/dist'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
