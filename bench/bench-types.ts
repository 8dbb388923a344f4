/** One measured figure of a benchmark run, printed in the JSON and the table of `npm run bench`. */
export interface BenchFigure {
  /** Short id, e.g. `ingest_10k_series_samples_per_s`. */
  name: string;
  value: number;
  /** Unit of `value`, e.g. `samples/s`, `ms`, `µs/sample`, `MB`, `%`. */
  unit: string;
  /** The target from the issue, human-readable, e.g. `>= 100000`. */
  target?: string;
  /** The peer's figure measured in the same run (e.g. Prometheus), same unit. */
  peer?: { name: string; value: number };
  /** Free-form context: sample count, durations, caveats. */
  note?: string;
}

/** A benchmark suite: `run` measures and returns figures; it must clean up everything it starts. */
export interface BenchSuite {
  name: string;
  description: string;
  run(opts: { quick: boolean; log: (msg: string) => void }): Promise<BenchFigure[]>;
}
