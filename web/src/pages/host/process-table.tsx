import { useState } from 'preact/hooks';
import type { ProcessSnapshot } from '../../../../src/protocol/ingest.js';
import { FreshnessStamp } from '../../components/freshness-stamp.js';
import { formatBytes, formatPercent } from '../../format/format-value.js';
import { topProcesses, type ProcessSort } from './top-processes.js';

function SortHeader({ label, sort, current, onSort }: { label: string; sort: ProcessSort; current: ProcessSort; onSort: (s: ProcessSort) => void }) {
  return (
    <th scope="col" class="cell-num" aria-sort={current === sort ? 'descending' : 'none'}>
      <button type="button" class="sort-button" onClick={() => onSort(sort)}>
        {label}
        <span aria-hidden="true">{current === sort ? ' ▾' : ''}</span>
      </button>
    </th>
  );
}

/**
 * The latest top-processes snapshot of a host. Process names and command lines come from the
 * monitored host and are rendered as text only.
 */
export function ProcessTable({ snapshot, intervalMs }: { snapshot: ProcessSnapshot; intervalMs: number | null }) {
  const [sort, setSort] = useState<ProcessSort>('cpu');
  const rows = topProcesses(snapshot.processes, sort);
  return (
    <>
      <p class="panel-note">
        Snapshot <FreshnessStamp lastSeen={snapshot.ts} intervalMs={intervalMs} /> · {snapshot.processes.length} processes reported
      </p>
      <div class="table-scroll">
        <table class="data-table process-table">
          <thead>
            <tr>
              <th scope="col" class="cell-num">
                PID
              </th>
              <th scope="col">Name</th>
              <th scope="col">User</th>
              <SortHeader label="CPU" sort="cpu" current={sort} onSort={setSort} />
              <SortHeader label="Memory" sort="memory" current={sort} onSort={setSort} />
              <th scope="col">State</th>
              <th scope="col">Command</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.pid}>
                <td class="cell-num">{p.pid}</td>
                <td class="cell-strong">{p.name}</td>
                <td>{p.user ?? '–'}</td>
                <td class="cell-num">{formatPercent(p.cpuPercent)}</td>
                <td class="cell-num">
                  {formatBytes(p.memoryBytes)}
                  {p.memoryPercent !== undefined ? <span class="cell-sub"> {formatPercent(p.memoryPercent)}</span> : null}
                </td>
                <td>{p.state ?? '–'}</td>
                <td class="cell-command" title={p.command}>
                  {p.command ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
