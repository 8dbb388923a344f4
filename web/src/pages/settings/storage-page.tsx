import type { StorageUsage } from '../../../../src/protocol/storage.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useInterval } from '../../hooks/use-interval.js';
import { useNow } from '../../hooks/use-now.js';
import { useResource } from '../../hooks/use-resource.js';
import { damageText, forecastText, headline, otherRows, tierRows } from './storage-view.js';

/** The storage figures change slowly: refetch once a minute. */
export const STORAGE_REFRESH_MS = 60_000;

const TONE_CLASS = { ok: 'text-online', warn: 'text-stale', bad: 'text-offline', unknown: '' } as const;

function StorageBody({ usage, now }: { usage: StorageUsage; now: number }) {
  const forecast = forecastText(usage);
  const damage = damageText(usage);
  return (
    <>
      <p class={`storage-forecast ${TONE_CLASS[forecast.tone]}`} data-tone={forecast.tone}>
        {forecast.text}
      </p>
      {damage ? <p class="callout callout-warn">{damage}</p> : null}
      <div class="table-scroll">
        <table class="data-table storage-table">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col" class="cell-num">Disk used</th>
              <th scope="col" class="cell-num">Holds</th>
              <th scope="col" class="cell-num">Retention</th>
              <th scope="col" class="cell-num">Growth</th>
              <th scope="col" class="cell-num">At full retention</th>
            </tr>
          </thead>
          <tbody>
            {tierRows(usage, now).map((r) => (
              <tr key={r.tier} data-tier={r.tier}>
                <th scope="row">{r.label}</th>
                <td class="cell-num">{r.used}</td>
                <td class="cell-num">{r.holds}</td>
                <td class="cell-num">{r.retention}</td>
                <td class="cell-num">{r.growth}</td>
                <td class="cell-num">{r.steady}</td>
              </tr>
            ))}
            {otherRows(usage).map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td class="cell-num">{r.used}</td>
                <td colSpan={4} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** `/settings/storage` (admins): disk use and retention per storage tier, and how long the disk lasts. */
export function StoragePage() {
  const { api } = useServices();
  const now = useNow();
  const usage = useResource((signal) => api.get<StorageUsage>('/api/v1/storage', undefined, signal), []);
  useInterval(usage.reload, STORAGE_REFRESH_MS);
  return (
    <div class="page page-storage">
      <div class="page-head">
        <h1>Storage</h1>
        {usage.data ? <p class="page-summary">{headline(usage.data)}</p> : null}
      </div>
      <Panel id="storage" title="Disk use and retention" resource={usage}>
        {(data) => <StorageBody usage={data} now={now} />}
      </Panel>
    </div>
  );
}
