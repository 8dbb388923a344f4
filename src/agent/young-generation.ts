import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8 from growing its young generation beyond the size it has when the agent starts
 * (semi-spaces of 1–2 MB), for the life of the process.
 *
 * Why: V8 doubles the young generation once enough objects have survived collections since the
 * last growth. In the agent the start-up (loading ~80 modules) and the first file integrity scan
 * (~1,500 records of /usr/bin and /usr/sbin) cross that line within the first second, which added
 * ~4 MB of RSS (semi-spaces 2 → 4 MB, every page of them touched) until V8's memory reducer shrank
 * it again 10–20 s later, and again whenever survivors added up later on. The agent allocates a
 * few hundred KB per second, so a small young generation costs one extra scavenge of ~1 ms every
 * few seconds. `--max-semi-space-size` would do the same but can only be given on the node command
 * line; the growth factor is read each time V8 considers growing, so setting it here applies to
 * every way the agent is started (`vigil agent`, the local agent of `vigil start`, services).
 * Only the `vigil agent` command calls this: a server in the same process needs the bigger young
 * generation for its ingest rate.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
