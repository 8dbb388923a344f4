#!/usr/bin/env node
// `npm start`: builds what is missing (server with tsc, dashboard with vite), then runs
// `vigil start` — the server on the embedded SQLite default plus a local agent for this host.
// Extra arguments are passed through: `npm start -- --port 9000`.
import { ensureBuilt } from './build-if-needed.mjs';

ensureBuilt({ server: true, web: true });
const cli = new URL('../dist/cli.js', import.meta.url);
process.argv = [process.argv[0], cli.pathname, 'start', ...process.argv.slice(2)];
await import(cli.href);
