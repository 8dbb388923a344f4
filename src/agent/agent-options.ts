import type { OptionSpec, OptionValues } from '../options/option-spec.js';
import { DEFAULT_FIM_PATHS } from './collectors/security/fim/fim-collector.js';
import { parseExecConfigs, type ExecCollectorConfig } from './exec/exec-config.js';

/**
 * Options of `vigil agent`. Each spec gives the flag `--<name>`, the variable `VIGIL_<NAME>` and
 * the config-file key `<name>` (see src/options).
 */
export const AGENT_OPTION_SPECS: readonly OptionSpec[] = [
  { name: 'server', kind: 'url', required: true, description: 'Base URL of the Vigil server, e.g. https://vigil.example.com.' },
  { name: 'key', kind: 'string', required: true, secret: true, description: 'Agent ingest key (vgk_…). Prefer the VIGIL_KEY variable: flags show up in `ps`.' },
  { name: 'interval', kind: 'duration', default: 10_000, min: 1_000, max: 3_600_000, description: 'Collection interval, 1s … 1h.' },
  { name: 'data-dir', kind: 'path', default: './data/agent', description: 'Directory of the spool (the on-disk buffer) and agent state.' },
  { name: 'spool-max-bytes', kind: 'bytes', default: 256 * 1024 * 1024, min: 1024 * 1024, description: 'Disk the spool may use; beyond it the oldest batches are dropped (counted).' },
  { name: 'spool-max-age', kind: 'duration', default: 86_400_000, min: 60_000, max: 30 * 86_400_000, description: 'Batches older than this are dropped (counted).' },
  { name: 'spool-fsync', kind: 'bool', default: true, description: 'fdatasync batches that are still undelivered after --spool-sync-delay (turn off only on storage where fsync is very slow).' },
  {
    name: 'spool-sync-delay',
    kind: 'duration',
    default: 500,
    min: 0,
    max: 60_000,
    description: 'A batch still undelivered this long after it was spooled is fdatasynced (the power-loss window); 0ms syncs every batch at once.',
  },
  {
    name: 'optimizing-compiler',
    kind: 'bool',
    default: false,
    description: "Let V8's optimizing compiler (TurboFan) compile hot agent code. Off by default: at one collection per second or slower it costs more CPU and memory than it saves; turn it on for plugins or exec collectors that parse a lot.",
  },
  { name: 'collectors', kind: 'list', default: [], description: 'Run only these collectors (comma-separated names; default: all available).' },
  { name: 'disable', kind: 'list', default: [], description: 'Collectors not to run (comma-separated names).' },
  { name: 'plugin', kind: 'list', default: [], description: 'JS collector modules to load (comma-separated paths; see docs/agent.md).' },
  {
    name: 'exec',
    kind: 'json',
    default: [],
    parse: parseExecConfigs,
    description: 'Commands printing Prometheus text: a list of {name, command, timeout, max-output} (config file, or JSON).',
  },
  { name: 'processes-interval', kind: 'duration', default: 10_000, min: 1_000, max: 3_600_000, description: 'Time between two scans of all processes for the top lists (never shorter than --interval).' },
  { name: 'top-processes', kind: 'int', default: 10, min: 0, max: 100, description: 'Processes reported in each top list (by CPU and by memory); 0 turns the lists off.' },
  { name: 'hostname', kind: 'string', description: 'Host name to report (default: the system host name).' },
  { name: 'proc-root', kind: 'path', default: '/proc', description: 'Where /proc is mounted (e.g. /host/proc in a container).' },
  { name: 'sys-root', kind: 'path', default: '/sys', description: 'Where /sys is mounted.' },
  { name: 'root-fs', kind: 'path', default: '/', description: 'Host root for mount points and /etc files (e.g. /host in a container).' },
  {
    name: 'security',
    kind: 'bool',
    default: true,
    description: 'Run the security collectors auth-log, listening-ports, fim and suspicious-processes (each where readable; --disable <name> turns one off).',
  },
  {
    name: 'auth-log',
    kind: 'string',
    default: 'auto',
    description: 'Authentication log: auto (var/log/auth.log, else var/log/secure under --root-fs, else the journal), journal, or a file path.',
  },
  { name: 'auth-log-start', kind: 'enum', choices: ['end', 'beginning'], default: 'end', description: 'Where the auth log is first read from when no position is saved yet (end: history is not replayed).' },
  { name: 'ports-interval', kind: 'duration', default: 10_000, min: 1_000, max: 3_600_000, description: 'Time between two scans of the listening ports.' },
  { name: 'suspicious-processes-interval', kind: 'duration', default: 10_000, min: 1_000, max: 3_600_000, description: 'Time between two scans for suspicious processes.' },
  { name: 'fim-paths', kind: 'list', default: DEFAULT_FIM_PATHS, description: 'Files and directories under file integrity monitoring (comma-separated host paths; directories recursively).' },
  { name: 'fim-exclude', kind: 'list', default: [], description: 'Paths (with everything below) or globs (* within a segment, ** across) left out of file integrity monitoring.' },
  { name: 'fim-interval', kind: 'duration', default: 900_000, min: 10_000, max: 86_400_000, description: 'Time between two full file integrity scans (fs.watch reports changes in between).' },
  { name: 'fim-max-files', kind: 'int', default: 20_000, min: 1, max: 1_000_000, description: 'Files recorded at most by file integrity monitoring.' },
  { name: 'fim-max-file-bytes', kind: 'bytes', default: 64 * 1024 * 1024, min: 0, description: 'Larger files are not hashed; their size, mode, owner and mtime are still compared.' },
  { name: 'fim-watch', kind: 'bool', default: true, description: 'Use fs.watch (inotify) for near-real-time file integrity events between scans.' },
];

/** Typed configuration of one agent run. */
export interface AgentConfig {
  server: string;
  key: string;
  intervalMs: number;
  dataDir: string;
  spoolMaxBytes: number;
  spoolMaxAgeMs: number;
  spoolFsync: boolean;
  /** See the `spool-sync-delay` option, in ms. */
  spoolSyncDelayMs: number;
  /** Whether V8 may optimize hot code with TurboFan (default false: see optimizing-compiler.ts). */
  optimizingCompiler: boolean;
  collectors: string[];
  disable: string[];
  plugins: string[];
  exec: ExecCollectorConfig[];
  topProcesses: number;
  processesIntervalMs: number;
  hostname: string | null;
  procRoot: string;
  sysRoot: string;
  rootFs: string;
  security: SecurityOptions;
}

/** Options of the security collectors (issue 6). */
export interface SecurityOptions {
  enabled: boolean;
  authLog: string;
  authLogStart: 'end' | 'beginning';
  portsIntervalMs: number;
  suspiciousProcessesIntervalMs: number;
  fimPaths: string[];
  fimExclude: string[];
  fimIntervalMs: number;
  fimMaxFiles: number;
  fimMaxFileBytes: number;
  fimWatch: boolean;
}

/** Converts values validated by `parseOptions(AGENT_OPTION_SPECS, …)` into an {@link AgentConfig}. */
export function agentConfig(values: OptionValues): AgentConfig {
  return {
    server: values.server as string,
    key: values.key as string,
    intervalMs: values.interval as number,
    dataDir: values['data-dir'] as string,
    spoolMaxBytes: values['spool-max-bytes'] as number,
    spoolMaxAgeMs: values['spool-max-age'] as number,
    spoolFsync: values['spool-fsync'] as boolean,
    spoolSyncDelayMs: values['spool-sync-delay'] as number,
    optimizingCompiler: values['optimizing-compiler'] as boolean,
    collectors: values.collectors as string[],
    disable: values.disable as string[],
    plugins: values.plugin as string[],
    exec: values.exec as ExecCollectorConfig[],
    topProcesses: values['top-processes'] as number,
    processesIntervalMs: values['processes-interval'] as number,
    hostname: (values.hostname as string | undefined) ?? null,
    procRoot: values['proc-root'] as string,
    sysRoot: values['sys-root'] as string,
    rootFs: values['root-fs'] as string,
    security: {
      enabled: values.security as boolean,
      authLog: values['auth-log'] as string,
      authLogStart: values['auth-log-start'] as 'end' | 'beginning',
      portsIntervalMs: values['ports-interval'] as number,
      suspiciousProcessesIntervalMs: values['suspicious-processes-interval'] as number,
      fimPaths: values['fim-paths'] as string[],
      fimExclude: values['fim-exclude'] as string[],
      fimIntervalMs: values['fim-interval'] as number,
      fimMaxFiles: values['fim-max-files'] as number,
      fimMaxFileBytes: values['fim-max-file-bytes'] as number,
      fimWatch: values['fim-watch'] as boolean,
    },
  };
}
