/** Thrown for a template that cannot be parsed or rendered within its budget. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Output escaping of a template: `html` escapes &<>"'` and `=`, `text` leaves values as they are. */
export type TemplateMode = 'html' | 'text';

/** Largest template source, characters (16 KiB). */
export const TEMPLATE_MAX_SOURCE = 16 * 1024;
/** Largest rendered output, characters (64 KiB); longer output is cut with a marker. */
export const TEMPLATE_MAX_OUTPUT = 64 * 1024;
/** Most rendering steps (tags and section iterations) before rendering stops with an error. */
export const TEMPLATE_MAX_STEPS = 200_000;
/** Deepest section nesting. */
export const TEMPLATE_MAX_DEPTH = 16;

type Node = { t: 'text'; s: string } | { t: 'var'; path: string[]; pos: number } | { t: 'section'; path: string[]; inverted: boolean; children: Node[]; pos: number };

/** A parsed template; render it with {@link renderTemplate}. */
export interface Template {
  readonly nodes: readonly Node[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that could reach an object's prototype: never looked up. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

function parsePath(raw: string, pos: number): string[] {
  const name = raw.trim();
  if (name === '.') return [];
  const parts = name.split('.');
  for (const p of parts) {
    if (!NAME.test(p) && !/^\d{1,4}$/.test(p)) throw new TemplateError(`"${name.slice(0, 60)}" is not a field name like alert.labels.host`, pos);
    if (FORBIDDEN.has(p)) throw new TemplateError(`"${p}" may not be used in templates`, pos);
  }
  return parts;
}

/**
 * Parses a logic-less template: `{{field.path}}` inserts a value, `{{#list}}…{{/list}}` repeats
 * for each item (or renders once for a truthy value, with it as context), `{{^x}}…{{/x}}` renders
 * when `x` is empty or false, `{{.}}` is the current item, `{{! comment }}`. There are no
 * partials, includes, helpers, lambdas or raw output: a template cannot read files, call code or
 * reach prototypes (reliability reference c #10).
 * @throws TemplateError with a position for anything else.
 */
export function parseTemplate(source: string): Template {
  if (typeof source !== 'string') throw new TemplateError('a template must be a string', 0);
  if (source.length > TEMPLATE_MAX_SOURCE) throw new TemplateError(`template longer than ${TEMPLATE_MAX_SOURCE} characters`, 0);
  const root: Node[] = [];
  const stack: { node: Extract<Node, { t: 'section' }>; name: string }[] = [];
  const current = () => (stack.length ? (stack[stack.length - 1] as { node: Extract<Node, { t: 'section' }> }).node.children : root);
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      current().push({ t: 'text', s: source.slice(i) });
      break;
    }
    if (open > i) current().push({ t: 'text', s: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('unclosed tag: missing "}}"', open);
    const tag = source.slice(open + 2, close);
    if (tag.startsWith('{') || tag.startsWith('&') || tag.startsWith('>') || tag.startsWith('=') || tag.startsWith('<')) {
      throw new TemplateError('raw output, partials and delimiter changes are not supported', open);
    }
    const sigil = tag[0];
    if (sigil === '!') {
      // comment
    } else if (sigil === '#' || sigil === '^') {
      if (stack.length >= TEMPLATE_MAX_DEPTH) throw new TemplateError(`sections nested deeper than ${TEMPLATE_MAX_DEPTH}`, open);
      const name = tag.slice(1).trim();
      const node: Extract<Node, { t: 'section' }> = { t: 'section', path: parsePath(name, open), inverted: sigil === '^', children: [], pos: open };
      current().push(node);
      stack.push({ node, name });
    } else if (sigil === '/') {
      const name = tag.slice(1).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new TemplateError(`{{/${name.slice(0, 60)}}} does not close the open section${top ? ` {{#${top.name}}}` : ''}`, open);
    } else current().push({ t: 'var', path: parsePath(tag, open), pos: open });
    i = close + 2;
  }
  if (stack.length) throw new TemplateError(`section {{#${(stack[stack.length - 1] as { name: string }).name}}} is not closed`, (stack[stack.length - 1] as { node: { pos: number } }).node.pos);
  return { nodes: root };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

function lookup(stack: readonly unknown[], path: readonly string[]): unknown {
  if (path.length === 0) return stack[stack.length - 1];
  for (let d = stack.length - 1; d >= 0; d--) {
    const ctx = stack[d];
    if (ctx !== null && typeof ctx === 'object' && Object.hasOwn(ctx, path[0] as string)) {
      let v: unknown = ctx;
      for (const p of path) {
        if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
        v = (v as Record<string, unknown>)[p];
      }
      return v;
    }
  }
  return undefined;
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

/**
 * Renders a parsed template over JSON-like `data` (own properties only; functions are never
 * called). Output is capped at {@link TEMPLATE_MAX_OUTPUT} characters.
 * @throws TemplateError when rendering exceeds {@link TEMPLATE_MAX_STEPS}.
 */
export function renderTemplate(t: Template, data: unknown, mode: TemplateMode): string {
  let out = '';
  let steps = 0;
  let truncated = false;
  const write = (s: string) => {
    if (truncated) return;
    if (out.length + s.length > TEMPLATE_MAX_OUTPUT) {
      out += s.slice(0, TEMPLATE_MAX_OUTPUT - out.length);
      truncated = true;
      return;
    }
    out += s;
  };
  const walk = (nodes: readonly Node[], stack: unknown[]) => {
    for (const n of nodes) {
      if (truncated) return;
      if (++steps > TEMPLATE_MAX_STEPS) throw new TemplateError('the template takes too many steps to render', 0);
      if (n.t === 'text') write(n.s);
      else if (n.t === 'var') {
        const s = toText(lookup(stack, n.path));
        write(mode === 'html' ? s.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c] as string) : s);
      } else {
        const v = lookup(stack, n.path);
        const empty = v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0);
        if (n.inverted) {
          if (empty) walk(n.children, stack);
        } else if (Array.isArray(v)) {
          for (const item of v) {
            if (++steps > TEMPLATE_MAX_STEPS) throw new TemplateError('the template takes too many steps to render', n.pos);
            walk(n.children, [...stack, item]);
          }
        } else if (!empty) walk(n.children, typeof v === 'object' ? [...stack, v] : stack);
      }
    }
  };
  walk(t.nodes, [data]);
  return truncated ? `${out}\n…(truncated)` : out;
}

/** Parses and renders in one call (templates are small; callers cache parsed defaults). */
export function render(source: string, data: unknown, mode: TemplateMode): string {
  return renderTemplate(parseTemplate(source), data, mode);
}
