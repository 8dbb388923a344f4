/** Bus event announcing a rule or suppression change, so other replicas' engines reload. */
export const ALERTING_CONFIG_CHANGED = 'alerting_config_changed';

/** Payload of {@link ALERTING_CONFIG_CHANGED}; `origin` is the announcing engine's instance id. */
export interface AlertingConfigChanged {
  origin: string;
  kind: 'rule' | 'suppression';
  id?: string;
}
