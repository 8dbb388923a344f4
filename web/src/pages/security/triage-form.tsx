import { useState } from 'preact/hooks';
import type { SecurityEvent, TriageState } from '../../../../src/protocol/security.js';
import { useServices } from '../../hooks/app-services.js';
import { triageActions, triageLabel } from '../../security/event-detail.js';
import { triageEvent } from '../../security/security-api.js';

/** Longest triage note, characters (the server caps it too). */
const MAX_NOTE = 1000;

/**
 * Triage buttons for an event (new → acknowledged → resolved, or false positive) with an
 * optional note; reports the updated event.
 */
export function TriageForm({ event, onDone }: { event: SecurityEvent; onDone: (e: SecurityEvent) => void }) {
  const { api } = useServices();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (state: TriageState) => {
    setBusy(true);
    triageEvent(api, event.event_id, state, note.trim()).then(
      (updated) => {
        setBusy(false);
        setError(null);
        setNote('');
        onDone(updated);
      },
      (err: Error) => {
        setBusy(false);
        setError(err.message);
      },
    );
  };
  return (
    <form class="inline-form" onSubmit={(e) => e.preventDefault()} data-triage-form>
      <label class="field field-grow">
        <span class="field-label">Note</span>
        <input class="input" name="note" value={note} maxLength={MAX_NOTE} placeholder="what you found, ticket" onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </label>
      {triageActions(event.triage).map((s) => (
        <button key={s} type="button" class={`button ${s === 'acknowledged' ? 'button-primary' : ''}`} data-triage-set={s} disabled={busy} onClick={() => set(s)}>
          {triageLabel(s)}
        </button>
      ))}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
