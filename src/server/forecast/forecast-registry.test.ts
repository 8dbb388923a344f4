import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastInputError } from './forecast-input-error.js';
import { createForecastRegistry, ForecastRegistry } from './forecast-registry.js';
import { smaModel } from './models/sma.js';

describe('ForecastRegistry', () => {
  it('lists the built-ins simplest first, auto last', () => {
    assert.deepEqual(createForecastRegistry().names(), ['sma', 'ewma', 'linear', 'holt-winters', 'arima', 'auto']);
  });
  it('unknown names are typed errors that list the known ones', () => {
    assert.throws(
      () => createForecastRegistry().get('prophet'),
      (e: unknown) => e instanceof ForecastInputError && e.code === 'VIGIL_ERR_FORECAST_UNKNOWN_MODEL' && /known: sma, ewma/.test(e.message),
    );
  });
  it('duplicate or malformed names are programming errors', () => {
    const r = new ForecastRegistry().register(smaModel);
    assert.throws(() => r.register(smaModel), /already registered/);
    assert.throws(() => r.register({ ...smaModel, name: 'Bad Name' }), /invalid/);
  });
});
