import { useEffect, useRef, useState } from 'preact/hooks';

/** Props of {@link SelectorBar}. */
export interface SelectorBarProps {
  /** The selector text, or null while the form is incomplete/invalid. */
  selector: string | null;
  agg: string;
  by: string;
}

/**
 * Shows the selector being charted in a read-only field (select-all on focus) with a Copy
 * button, so it can be pasted into scripts, `curl` or alert rules.
 */
export function SelectorBar({ selector, agg, by }: SelectorBarProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => setCopied('idle'), [selector]);
  const copy = async () => {
    if (!selector) return;
    try {
      await navigator.clipboard.writeText(selector);
      setCopied('copied');
    } catch {
      // The clipboard API needs a secure context; fall back to selecting the text for Ctrl+C.
      inputRef.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div class="selector-bar">
      <label class="field field-grow">
        <span class="field-label">
          Selector <span class="muted">· {agg}{by ? ` by ${by}` : ''}</span>
        </span>
        <input ref={inputRef} class="input input-code" readOnly value={selector ?? ''} placeholder="(incomplete)" data-selector onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button type="button" class="button" disabled={!selector} onClick={() => void copy()}>
        Copy
      </button>
      <span class="muted small" role="status" aria-live="polite">
        {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Selected: press Ctrl+C.' : ''}
      </span>
    </div>
  );
}
