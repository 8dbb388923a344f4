import { TIME_RANGES, type TimeRangePreset } from '../time/time-range.js';

/** Props of {@link TimeRangePicker}. */
export interface TimeRangePickerProps {
  value: TimeRangePreset;
  onChange: (range: TimeRangePreset) => void;
}

/** Segmented buttons for the time-range presets (15 min … 7 d); the chosen one is aria-pressed. */
export function TimeRangePicker({ value, onChange }: TimeRangePickerProps) {
  return (
    <div class="segmented" role="group" aria-label="Time range">
      {TIME_RANGES.map((r) => (
        <button key={r.id} type="button" class="segmented-item" aria-pressed={r.id === value.id} data-range={r.id} onClick={() => onChange(r)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}
