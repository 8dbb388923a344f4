import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anomalyHoverText, nearestAnomaly, overlayFromAnomaly } from './chart-overlay.js';

describe('chart overlay', () => {
  const resp = {
    from: 0,
    to: 100,
    step: 10,
    detector: 'robust-z',
    k: 3.5,
    series: [
      { metric: 'm', labels: { a: '1' }, timestamps: [0], values: [1], error: { code: 'VIGIL_ERR_FORECAST_TOO_SHORT', message: 'short' } },
      { metric: 'm', labels: { a: '2' }, timestamps: [0, 10, 20], values: [1, 9, 1], detector: 'robust-z', spec: 'median ± MAD of the previous 10 steps', expected: [null, 1, 1], lower: [null, 0, 0], upper: [null, 2, 2], anomalies: [{ ts: 10, value: 9, expected: 1, score: 8.25 }] },
    ],
  };

  it('takes the first judged series and finds the anomaly under the cursor', () => {
    const o = overlayFromAnomaly(resp)!;
    assert.deepEqual(o.upper, [null, 2, 2]);
    assert.equal(nearestAnomaly(o, 14, 5)?.value, 9);
    assert.equal(nearestAnomaly(o, 16, 5), null);
    assert.match(anomalyHoverText(o, o.anomalies[0]!, (v) => `${v} %`), /9 % \(expected 1 %\), score 8\.3 — robust-z: median ± MAD/);
    assert.equal(overlayFromAnomaly({ ...resp, series: [resp.series[0]!] }), null);
  });
});
