import { useEffect, useState } from 'preact/hooks';
import type { SecurityEvent, SuppressionPreview } from '../../../../src/protocol/security.js';
import { useServices } from '../../hooks/app-services.js';
import { sourceIp } from '../../security/event-detail.js';
import { previewSuppression } from '../../security/security-api.js';
import { MAX_SUPPRESSION_DAYS, scopesFor, suppressionBody, type SuppressionScope } from '../../security/suppression-form.js';

/** Props of {@link SuppressDialog}. */
export interface SuppressDialogProps {
  event: SecurityEvent;
  onClose: () => void;
  /** Called after the suppression was created. */
  onCreated: () => void;
}

/**
 * "Suppress…" from an event: this type from this host or from this source IP, for N days, with a
 * required reason. Shows how many stored events the suppression would have matched (the server's
 * preview) before it can be confirmed.
 */
export function SuppressDialog({ event, onClose, onCreated }: SuppressDialogProps) {
  const { api } = useServices();
  const [scope, setScope] = useState<SuppressionScope>('host');
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<SuppressionPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const body = suppressionBody(event, scope, days, reason || 'preview');
  const bodyKey = JSON.stringify('error' in body ? null : { ...body, reason: '' });

  // The preview follows the scope and duration; it does not depend on the reason.
  useEffect(() => {
    setPreview(null);
    if ('error' in body) return undefined;
    const controller = new AbortController();
    previewSuppression(api, body, controller.signal).then(
      (p) => setPreview(p),
      (err: Error) => !controller.signal.aborted && setError(err.message),
    );
    return () => controller.abort();
  }, [api, bodyKey]);

  const submit = (e: Event) => {
    e.preventDefault();
    const final = suppressionBody(event, scope, days, reason);
    if ('error' in final) return setError(final.error);
    setBusy(true);
    api.post('/api/v1/suppressions', final).then(
      () => {
        setBusy(false);
        onCreated();
      },
      (err: Error) => {
        setBusy(false);
        setError(err.message);
      },
    );
  };
  const ip = sourceIp(event);
  return (
    <form class="suppress-dialog stack" role="dialog" aria-label="Suppress similar events" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose()} data-suppress-dialog>
      <h3 class="dialog-title">Suppress {event.event_type} events</h3>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Match</span>
          <select class="input" name="scope" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value === 'src_ip' ? 'src_ip' : 'host')}>
            {scopesFor(event).map((s) => (
              <option key={s} value={s}>
                {s === 'host' ? `from host ${event.host}` : `from source IP ${ip ?? ''}`}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">For (days)</span>
          <input class="input" name="days" type="number" min={1} max={MAX_SUPPRESSION_DAYS} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <label class="field">
        <span class="field-label">Reason (required)</span>
        <input class="input" name="reason" value={reason} maxLength={1000} placeholder="why these events are expected" onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      <p class="muted" data-preview-count={preview ? preview.matching : undefined} aria-live="polite">
        {'error' in body ? body.error : preview ? `Would have matched ${preview.matching} past event${preview.matching === 1 ? '' : 's'}.` : 'Counting past matches…'}
      </p>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" data-suppress-confirm disabled={busy || !reason.trim() || preview === null}>
          Create suppression
        </button>
        <button type="button" class="button button-ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
