import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a collector's JSON state file. Returns null when it is missing, unreadable or fails
 * `valid` (a damaged state means "start a new baseline", never a crash).
 */
export function readStateFile<T>(path: string, valid: (v: unknown) => v is T): T | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const v: unknown = JSON.parse(text);
    return valid(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Replaces a collector's JSON state file atomically (write a temp file, rename), so a crash
 * leaves the old or the new state, never half of one. Not fsynced: after a power cut the previous
 * state may come back and the findings since then are reported again (with new ids); saving
 * after every scan keeps that window to one scan.
 */
export function writeStateFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
}

/** Like {@link writeStateFile}, for a JSON text given in pieces (large states need no single big string). */
export function writeStateFilePieces(path: string, pieces: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(`${path}.tmp`, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
}

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
