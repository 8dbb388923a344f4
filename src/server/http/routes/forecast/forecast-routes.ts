import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app-deps.js';

// The services validate the bodies field by field (stable codes, messages naming the field);
// the schemas here describe them for OpenAPI.
const HistoryFields = {
  query: Type.Optional(Type.String({ maxLength: 4096, description: 'Series selector, e.g. disk_used_percent{host="web-1"}' })),
  metric: Type.Optional(Type.String({ maxLength: 200, description: 'Metric name (alternative to query), with host' })),
  host: Type.Optional(Type.String({ maxLength: 256 })),
  from: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0 })], { description: 'ms, RFC 3339, now or now-7d' })),
  to: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0 })], { description: 'default now' })),
  range: Type.Optional(Type.String({ maxLength: 64, description: 'History duration back from `to` (default 7d)' })),
  step: Type.Optional(Type.String({ maxLength: 32, description: 'Grid step (default: ≈ 1,000 points, at least 1m)' })),
};
const ForecastBody = Type.Object(
  {
    ...HistoryFields,
    model: Type.Optional(Type.String({ maxLength: 40, description: 'auto | sma | ewma | linear | holt-winters | arima (default auto)' })),
    horizon: Type.Optional(Type.String({ maxLength: 64, description: 'Duration, e.g. 6h, 24h, 7d (default 24h)' })),
    levels: Type.Optional(Type.Array(Type.Number(), { maxItems: 4, description: 'Prediction intervals: 80 and/or 95' })),
    threshold: Type.Optional(Type.Number({ description: 'Capacity threshold for time-to-threshold' })),
    direction: Type.Optional(Type.String({ maxLength: 10, description: 'above (default) or below' })),
  },
  { additionalProperties: true, description: 'ForecastRequest (src/protocol/forecast.ts)' },
);
const AnomalyBody = Type.Object(
  {
    ...HistoryFields,
    detector: Type.Optional(Type.String({ maxLength: 40, description: 'robust-z (default) | seasonal | residual' })),
    k: Type.Optional(Type.Number({ description: 'Score threshold (default 3.5)' })),
    minAbsDeviation: Type.Optional(Type.Number({ description: 'Smallest absolute deviation that can be anomalous (default 0)' })),
  },
  { additionalProperties: true, description: 'AnomalyRequest (src/protocol/forecast.ts)' },
);

/** Forecasts (bands, backtests, time to threshold) and anomaly bands for query results. */
export async function forecastRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post(
    '/api/v1/forecast',
    { config: { access: 'read:metrics' }, schema: { tags: ['forecast'], summary: 'Forecast series with 80/95 % bands, per-model backtests and time to threshold', body: ForecastBody } },
    async (req) => deps.predictions.forecast(req.body),
  );
  app.post(
    '/api/v1/anomaly',
    { config: { access: 'read:metrics' }, schema: { tags: ['forecast'], summary: 'Expected band and anomalous points of series', body: AnomalyBody } },
    async (req) => deps.predictions.anomaly(req.body),
  );
}
