import { readFileSync } from 'node:fs';
import { arch, hostname, platform, release, totalmem, cpus, uptime } from 'node:os';
import { join } from 'node:path';
import type { AgentHello } from '../protocol/ingest.js';

/** Version of this agent, from package.json (the same relative path from src/ and dist/). */
export function agentVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `PRETTY_NAME` of os-release (under `rootFs`), or null. */
export function osRelease(rootFs: string): string | null {
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      const m = /^PRETTY_NAME=(.*)$/m.exec(readFileSync(join(rootFs, p), 'utf8'));
      if (m) return (m[1] as string).trim().replace(/^"(.*)"$/, '$1').slice(0, 200);
    } catch {
      // try the next location
    }
  }
  return null;
}

/** Boot time in ms since the epoch: /proc/stat `btime`, else derived from `os.uptime()`. */
export function bootTime(procRoot: string, now: number): number {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync(join(procRoot, 'stat'), 'utf8'));
    if (m) return Number(m[1]) * 1000;
  } catch {
    // not Linux, or no /proc: fall back
  }
  return Math.round(now - uptime() * 1000);
}

/** Facts about this host for `AgentHello`, without the collector lists. */
export function hostFacts(opts: { hostname: string | null; procRoot: string; rootFs: string; intervalMs: number; now: number }): Omit<AgentHello, 'capabilities' | 'unavailable'> {
  const facts: Omit<AgentHello, 'capabilities' | 'unavailable'> = {
    hostname: (opts.hostname ?? hostname()).slice(0, 255) || 'unknown',
    os: platform(),
    kernel: release().slice(0, 200),
    arch: arch(),
    agentVersion: agentVersion().slice(0, 50),
    intervalMs: opts.intervalMs,
    cpuCount: cpus().length,
    memoryBytes: totalmem(),
    bootTime: bootTime(opts.procRoot, opts.now),
  };
  const rel = osRelease(opts.rootFs);
  if (rel) facts.osRelease = rel;
  return facts;
}

/** Memory page size in bytes, from the RSS Node reports versus the pages in /proc/self/statm. */
export function detectPageSize(): number {
  try {
    const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    const bytes = process.memoryUsage.rss();
    if (pages > 0) {
      const ratio = bytes / pages;
      // Both readings are a moment apart; snap to the page sizes Linux uses.
      return [4096, 16384, 65536].reduce((best, p) => (Math.abs(p - ratio) < Math.abs(best - ratio) ? p : best), 4096);
    }
  } catch {
    // not Linux
  }
  return 4096;
}
