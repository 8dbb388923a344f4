/** One audit entry as stored (hash-chained: `hash` covers the entry and `prevHash`). */
export interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** Filters for listing audit entries; cursor pagination by id (newest first). */
export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditEntry['outcome'];
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

/** Append-only persistence of the audit log (no update or delete exists). */
export interface AuditRepo {
  /** Appends atomically: reads the last hash and inserts in one transaction. */
  append(entry: Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>, hashOf: (prevHash: string, e: Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>) => string): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** All entries in id order, in pages, for verification and export. */
  scan(afterId: number, limit: number): Promise<AuditEntry[]>;
}
