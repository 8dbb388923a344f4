import { badOption, ForecastInputError } from './forecast-input-error.js';
import type { ModelOptions } from './forecast-model.js';

/**
 * Reads untyped model options (from an API body) into typed values with range checks; every
 * violation is a `VIGIL_ERR_FORECAST_OPTIONS` error naming the model and the option. Call
 * {@link OptionReader.done} last: unknown keys are rejected so a typo never silently falls back
 * to a default.
 */
export class OptionReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly model: string,
    private readonly options: ModelOptions = {},
  ) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ForecastInputError('VIGIL_ERR_FORECAST_OPTIONS', `${model}: options must be an object`, { model });
    }
  }

  /** A number in [min, max] (integer if asked); `undefined` when absent and no default. */
  number(name: string, spec: { min: number; max: number; integer?: boolean; default: number }): number;
  number(name: string, spec: { min: number; max: number; integer?: boolean }): number | undefined;
  number(name: string, spec: { min: number; max: number; integer?: boolean; default?: number }): number | undefined {
    const v = this.take(name);
    if (v === undefined) return spec.default;
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= spec.min && v <= spec.max && (!spec.integer || Number.isInteger(v));
    if (!ok) badOption(this.model, name, `${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`, v);
    return v;
  }

  /** One of the listed strings; `fallback` when absent. */
  choice<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const v = this.take(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) badOption(this.model, name, `one of ${values.join(', ')}`, v);
    return v as T;
  }

  /** One of the listed strings, or undefined when absent. */
  optionalChoice<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.take(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) badOption(this.model, name, `one of ${values.join(', ')}`, v);
    return v as T;
  }

  /** A boolean or the string `auto` (model decides). */
  boolOrAuto(name: string, fallback: boolean | 'auto'): boolean | 'auto' {
    const v = this.take(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean' && v !== 'auto') badOption(this.model, name, 'true, false or "auto"', v);
    return v;
  }

  /** An array of finite numbers of the given length range. */
  numbers(name: string, spec: { minLength: number; maxLength: number }): number[] | undefined {
    const v = this.take(name);
    if (v === undefined) return undefined;
    const ok =
      Array.isArray(v) && v.length >= spec.minLength && v.length <= spec.maxLength && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!ok) badOption(this.model, name, `an array of ${spec.minLength}..${spec.maxLength} finite numbers`, v);
    return v as number[];
  }

  /** A raw value the caller validates itself (e.g. a nested options object). */
  raw(name: string): unknown {
    return this.take(name);
  }

  /** Rejects keys that no reader method asked for. */
  done(): void {
    for (const k of Object.keys(this.options)) {
      if (!this.seen.has(k)) {
        throw new ForecastInputError('VIGIL_ERR_FORECAST_OPTIONS', `${this.model}: unknown option "${k.slice(0, 40)}"`, { model: this.model, option: k });
      }
    }
  }

  private take(name: string): unknown {
    this.seen.add(name);
    return Object.prototype.hasOwnProperty.call(this.options, name) ? this.options[name] : undefined;
  }
}
