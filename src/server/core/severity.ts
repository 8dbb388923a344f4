/** Severity shared by alerts and notifications, most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** An alert/notification severity. */
export type Severity = (typeof SEVERITIES)[number];
