/**
 * Runs `fn` for every item with at most `limit` calls in flight (default 8). Reads of many series
 * are round trips on a networked database (PostgreSQL): issuing a few at once keeps the pool busy
 * instead of paying the latency once per series. On SQLite the calls complete synchronously, so
 * this costs nothing there.
 */
export async function forEachConcurrent<T>(items: readonly T[], fn: (item: T, index: number) => Promise<void>, limit = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
