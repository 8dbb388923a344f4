import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractConfigPath, parseBytes, parseOptions, renderHelp, type OptionSpec } from './option-spec.js';

const specs: OptionSpec[] = [
  { name: 'port', kind: 'int', default: 8640, min: 0, max: 65535, description: 'port' },
  { name: 'data-dir', kind: 'path', default: './data', description: 'dir' },
  { name: 'interval', kind: 'duration', default: 10_000, min: 1000, description: 'interval' },
  { name: 'verbose', kind: 'bool', default: false, description: 'v' },
  { name: 'key', kind: 'string', secret: true, description: 'k' },
];

describe('parseOptions', () => {
  it('takes flags over env over file over defaults', () => {
    const r = parseOptions(specs, { argv: ['--port', '9000'], env: { VIGIL_PORT: '9001', VIGIL_DATA_DIR: '/env' }, file: { port: 9002, 'data-dir': '/file', interval: '5s' } });
    assert.deepEqual(r.errors, []);
    assert.equal(r.values.port, 9000);
    assert.equal(r.values['data-dir'], '/env');
    assert.equal(r.values.interval, 5000);
    assert.equal(r.values.verbose, false);
  });

  it('reports bad values with their source and hides secrets', () => {
    const r = parseOptions(specs, { argv: ['--interval=100ms', '--bogus'], env: { VIGIL_PORT: '70000', VIGIL_KEY: '' }, file: { nope: 1 } });
    assert.ok(r.errors.some((e) => e.startsWith('VIGIL_PORT:') && e.includes('at most 65535')));
    assert.ok(r.errors.some((e) => e.startsWith('--interval:') && e.includes('at least 1000')));
    assert.ok(r.errors.some((e) => e.includes('unknown option --bogus')));
    assert.ok(r.errors.some((e) => e.includes('unknown key "nope"')));
  });

  it('never echoes a secret value', () => {
    const r = parseOptions([{ name: 'token', kind: 'int', secret: true, description: 't' }], { argv: ['--token', 's3cret'], env: {} });
    assert.equal(r.errors.length, 1);
    assert.ok(!r.errors[0]!.includes('s3cret'));
  });

  it('handles booleans, --no- prefix, help and positionals', () => {
    const r = parseOptions(specs, { argv: ['create', '--verbose', '--help'], env: {} });
    assert.equal(r.values.verbose, true);
    assert.equal(r.help, true);
    assert.deepEqual(r.positionals, ['create']);
    assert.equal(parseOptions(specs, { argv: ['--no-verbose'], env: { VIGIL_VERBOSE: 'true' } }).values.verbose, false);
  });

  it('parses sizes and extracts --config', () => {
    assert.equal(parseBytes('512MiB'), 512 * 1024 * 1024);
    assert.equal(parseBytes('1GB'), 1e9);
    assert.deepEqual(extractConfigPath(['--config', 'a.yaml', '--port', '1'], {}), { path: 'a.yaml', argv: ['--port', '1'] });
    assert.equal(extractConfigPath([], { VIGIL_CONFIG: 'b.json' }).path, 'b.json');
  });

  it('renders help with env names and defaults', () => {
    const help = renderHelp('vigil x', 'does x', specs);
    assert.match(help, /--port <int>\s+\[VIGIL_PORT\]/);
    assert.match(help, /default: 8640/);
    assert.doesNotMatch(help, /--key.*default/);
  });
});
