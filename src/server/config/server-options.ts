import type { OptionSpec } from '../../options/option-spec.js';

const DAY = 86_400_000;

/** Every `vigil server` option: one spec per flag / `VIGIL_*` variable / config-file key. */
export const SERVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'host', kind: 'string', default: '127.0.0.1', description: 'Address to bind. Use 0.0.0.0 to accept agents from other hosts.' },
  { name: 'port', kind: 'int', default: 8640, min: 0, max: 65535, alias: 'p', description: 'TCP port (0 = any free port).' },
  { name: 'data-dir', kind: 'path', default: './data', description: 'Directory for the embedded SQLite database and local state.' },
  { name: 'public-url', kind: 'url', description: 'External URL of the dashboard (links in notifications, Origin check). Default: http://<host>:<port>.' },
  { name: 'admin-user', kind: 'string', default: 'admin', description: 'Username of the first admin, created when there is no user yet.' },
  { name: 'admin-password', kind: 'string', secret: true, description: 'Password of the first admin; generated and printed once when not set.' },
  { name: 'log-level', kind: 'enum', choices: ['debug', 'info', 'warn', 'error', 'silent'], default: 'info', description: 'Log verbosity.' },
  { name: 'durability', kind: 'enum', choices: ['P', 'D'], default: 'D', description: 'SQLite durability: D = survives power loss (synchronous=FULL), P = survives process crashes (NORMAL, faster).' },
  { name: 'retention', kind: 'duration', default: 15 * DAY, min: 3_600_000, description: 'How long raw samples are kept.' },
  { name: 'max-series-per-agent', kind: 'int', default: 20_000, min: 1, max: 10_000_000, description: 'Series one agent key may create; more are rejected per item (VIGIL_ERR_SERIES_LIMIT).' },
  { name: 'ingest-body-max-bytes', kind: 'bytes', default: 16 * 1024 * 1024, min: 1024, max: 256 * 1024 * 1024, description: 'Largest ingest body after decompression.' },
  { name: 'body-max-bytes', kind: 'bytes', default: 1024 * 1024, min: 1024, max: 64 * 1024 * 1024, description: 'Largest body for every other endpoint.' },
  { name: 'query-max-range', kind: 'duration', default: 400 * DAY, min: 60_000, description: 'Longest range a query may ask for.' },
  { name: 'query-max-series', kind: 'int', default: 2000, min: 1, max: 1_000_000, description: 'Most series one query may match.' },
  { name: 'session-idle-timeout', kind: 'duration', default: 12 * 3_600_000, min: 60_000, description: 'A session ends after this long without activity.' },
  { name: 'session-absolute-timeout', kind: 'duration', default: 7 * DAY, min: 60_000, description: 'A session ends this long after login.' },
  { name: 'live-max-clients', kind: 'int', default: 1000, min: 1, max: 100_000, description: 'Most concurrent WebSocket clients.' },
  { name: 'scrypt-log-n', kind: 'int', default: 17, min: 10, max: 20, description: 'Password hashing cost, log2(N) of scrypt (17 = OWASP recommendation; lower only for tests).' },
  { name: 'secret-key', kind: 'string', secret: true, description: 'Key for secrets stored encrypted (32 bytes, hex or base64). Default: generated into <data-dir>/secret.key. Set it when replicas share a database.' },
  { name: 'web-dir', kind: 'path', description: 'Directory of the built dashboard (default: web/dist of this installation).' },
  { name: 'alerting-tick', kind: 'duration', default: 1000, min: 100, max: 60_000, description: 'How often alert evaluation, the notification pipeline and the dispatcher run (rules keep their own intervals).' },
];
