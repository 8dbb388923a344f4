/**
 * Default limits of the wire contract. The server may be configured tighter or looser; these
 * are the defaults an agent can assume without asking.
 */
export const WIRE_LIMITS = {
  /** Maximum length of a metric name, in characters. */
  metricNameMax: 200,
  /** Maximum length of a label name, in characters. */
  labelNameMax: 100,
  /** Maximum length of a label value, in characters (UTF-16 code units). */
  labelValueMax: 1024,
  /** Maximum labels per series, including the server-stamped `host` label. */
  labelsPerSeriesMax: 32,
  /** Maximum series items per ingest batch. */
  seriesPerBatchMax: 20_000,
  /** Maximum points per series item in one batch. */
  pointsPerSeriesMax: 10_000,
  /** Maximum decompressed ingest body, in bytes (16 MiB). */
  ingestBodyMaxBytes: 16 * 1024 * 1024,
  /** Accepted clock skew into the future, in ms (5 min). */
  futureSkewMs: 5 * 60_000,
} as const;

/** Metric names follow Prometheus: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Label names follow Prometheus: `[a-zA-Z_][a-zA-Z0-9_]*`; names starting `__` are reserved. */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Labels the server stamps itself from the authenticated agent key; values sent by an agent for
 * these names are rejected, so a key bound to host A can never write series for host B.
 */
export const SERVER_STAMPED_LABELS = ['host'] as const;
