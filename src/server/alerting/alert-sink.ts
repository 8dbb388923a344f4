/**
 * Where the alerting engine announces that alerts changed (state, severity, acknowledgement,
 * suppression). The notification pipeline implements it; alerting never imports notify.
 * The changes are already durable when this is called: a sink that misses a call (crash, other
 * replica) still finds them through `AlertRepo.changedSince`.
 */
export interface AlertSink {
  alertsChanged(alertIds: readonly string[]): void;
}

/** A sink that ignores everything (tools such as `vigil rules test` run without notifications). */
export const NO_ALERT_SINK: AlertSink = { alertsChanged() {} };
