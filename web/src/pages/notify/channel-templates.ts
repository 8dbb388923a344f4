/** Starting config for a new channel of each type (what the form pre-fills). */
export const CHANNEL_CONFIG_TEMPLATES: Record<string, Record<string, unknown>> = {
  email: { host: 'smtp.example.com', port: 587, security: 'starttls', username: '', from: 'vigil@example.com', to: ['oncall@example.com'] },
  slack: { channel: '#alerts' },
  pagerduty: { component: '' },
  webhook: { maxAlerts: 0 },
  inapp: { roles: ['admin', 'operator'] },
};
