import { errors } from '../core/errors.js';
import { parseTemplate, TemplateError } from './template/render-template.js';

/** Plausible e-mail address (what a notification can be sent to); at most 254 characters. */
export const EMAIL_RE = /^[^\s@<>()",;:\\[\]]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** True when `s` looks like a deliverable e-mail address. */
export function isEmail(s: unknown): s is string {
  return typeof s === 'string' && s.length <= 254 && EMAIL_RE.test(s);
}

/** Reads channel config fields with errors naming `config.<field>` (or `secrets.<field>`). */
export class ConfigReader {
  private readonly raw: Record<string, unknown>;

  constructor(raw: unknown, private readonly prefix: 'config' | 'secrets', allowed: readonly string[]) {
    if (raw === undefined || raw === null) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.validation(`${prefix} must be an object`, { field: prefix });
    this.raw = raw as Record<string, unknown>;
    const unknown = Object.keys(this.raw).filter((k) => !allowed.includes(k));
    if (unknown.length) throw errors.validation(`${prefix}: unknown field ${unknown[0]}; allowed: ${allowed.join(', ') || 'none'}`, { field: `${prefix}.${unknown[0]}` });
  }

  fail(field: string, message: string): never {
    throw errors.validation(`${this.prefix}.${field} ${message}`, { field: `${this.prefix}.${field}` });
  }

  string(field: string, opts: { required?: boolean; max?: number; fallback?: string } = {}): string {
    const v = this.raw[field];
    if (v === undefined || v === null || v === '') {
      if (opts.required) this.fail(field, 'is required');
      return opts.fallback ?? '';
    }
    if (typeof v !== 'string' || v.length > (opts.max ?? 1000)) this.fail(field, `must be a string of at most ${opts.max ?? 1000} characters`);
    return v;
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false');
    return v;
  }

  int(field: string, fallback: number, min: number, max: number): number {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(field, `must be an integer from ${min} to ${max}`);
    return v;
  }

  choice<T extends string>(field: string, choices: readonly T[], fallback: T): T {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || !choices.includes(v as T)) this.fail(field, `must be one of ${choices.join(', ')}`);
    return v as T;
  }

  /** An http(s) URL without credentials (the SSRF guard checks the destination at send time). */
  url(field: string, opts: { required?: boolean; fallback?: string } = {}): string {
    const v = this.string(field, { required: opts.required, max: 2048, fallback: opts.fallback });
    if (v === '') return v;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      this.fail(field, 'must be an absolute http(s) URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') this.fail(field, 'must use http or https');
    if (u.username || u.password) this.fail(field, 'must not contain credentials');
    return u.toString();
  }

  emails(field: string, opts: { required?: boolean } = {}): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) {
      if (opts.required) this.fail(field, 'needs at least one address');
      return [];
    }
    const list = typeof v === 'string' ? v.split(',').map((x) => x.trim()) : v;
    if (!Array.isArray(list) || list.length > 50 || list.some((x) => !isEmail(x))) this.fail(field, 'must be a list of up to 50 e-mail addresses');
    return list as string[];
  }

  strings(field: string, max = 200): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.length > max || v.some((x) => typeof x !== 'string' || x.length > 200)) this.fail(field, `must be a list of up to ${max} strings`);
    return v as string[];
  }

  /** An optional template (validated by parsing it). */
  template(field: string): string | null {
    const v = this.string(field, { max: 16 * 1024 });
    if (v === '') return null;
    try {
      parseTemplate(v);
    } catch (err) {
      this.fail(field, `is not a valid template: ${err instanceof TemplateError ? err.message : 'invalid'}`);
    }
    return v;
  }
}
