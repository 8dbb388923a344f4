/** Builds the server and/or the web bundle when missing or stale. */
export function ensureBuilt(opts?: { server?: boolean; web?: boolean }): void;
