#!/usr/bin/env node
// The `vigil` binary: builds on first use inside a source checkout, then runs the CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(new URL('../src/cli.ts', import.meta.url))) {
  const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
  ensureBuilt({ server: true, web: !['agent', 'key'].includes(process.argv[2] ?? '') });
}
await import(cli.href);
