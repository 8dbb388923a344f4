/** A remembered answer for a repeated `Idempotency-Key`. */
export interface StoredResponse {
  status: number;
  body: string;
}

/** Remembers batch answers so a retried batch is a no-op that returns the first answer. */
export interface IdempotencyRepo {
  get(scope: string, key: string): Promise<StoredResponse | null>;
  put(scope: string, key: string, at: number, response: StoredResponse): Promise<void>;
  /** Forgets answers older than `before` (ms). */
  prune(before: number): Promise<number>;
}
