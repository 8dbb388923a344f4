import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTemplate, render, renderTemplate, TEMPLATE_MAX_OUTPUT, TemplateError } from './render-template.js';

describe('logic-less templates', () => {
  const data = { title: 'HighCPU <b>', alerts: [{ labels: { host: 'web-1' }, value: 95.12345 }, { labels: { host: 'web-2' }, value: 91 }], acked: false, empty: [] };

  it('renders values, sections, inverted sections and the current item', () => {
    assert.equal(render('{{title}}: {{#alerts}}{{labels.host}}={{value}} {{/alerts}}', data, 'text'), 'HighCPU <b>: web-1=95.123 web-2=91 ');
    assert.equal(render('{{^acked}}not acked{{/acked}}{{^empty}}, none{{/empty}}', data, 'text'), 'not acked, none');
    assert.equal(render('{{#names}}[{{.}}]{{/names}}', { names: ['a', 'b'] }, 'text'), '[a][b]');
    assert.equal(render('{{missing.deep}}|{{title.length}}', data, 'text'), '|', 'unknown fields and non-own properties render empty');
  });

  it('escapes for HTML and never outputs raw markup from data', () => {
    assert.equal(render('<p>{{title}}</p>', { title: '<img src=x onerror=alert(1)>' }, 'html'), '<p>&lt;img src&#61;x onerror&#61;alert(1)&gt;</p>');
    assert.throws(() => parseTemplate('{{{title}}}'), TemplateError);
    assert.throws(() => parseTemplate('{{&title}}'), TemplateError);
  });

  it('refuses includes, partials, prototype access and unbalanced sections', () => {
    for (const bad of ["{% include '/etc/passwd' %}{{", '{{> /etc/passwd}}', '{{constructor.constructor}}', '{{__proto__}}', '{{a.prototype}}', '{{#a}}x', '{{#a}}{{/b}}', '{{a b}}', '{{=<% %>=}}']) {
      assert.throws(() => parseTemplate(bad), TemplateError, bad);
    }
    assert.equal(render('{{toString}}{{hasOwnProperty}}', {}, 'text'), '', 'inherited members are not visible');
  });

  it('caps output and rendering steps', () => {
    const big = { xs: Array.from({ length: 10_000 }, () => 'y'.repeat(100)) };
    const out = render('{{#xs}}{{.}}{{/xs}}', big, 'text');
    assert.ok(out.length <= TEMPLATE_MAX_OUTPUT + 20);
    assert.match(out, /truncated/);
    const nested = { a: Array.from({ length: 1000 }, () => ({ b: Array.from({ length: 1000 }, () => 1) })) };
    assert.throws(() => renderTemplate(parseTemplate('{{#a}}{{#b}}{{/b}}{{/a}}'), nested, 'text'), /too many steps/);
  });

  it('property: arbitrary sources either parse or raise TemplateError; rendering never throws anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.jsonValue(), (src, json) => {
        let t;
        try {
          t = parseTemplate(src);
        } catch (err) {
          assert.ok(err instanceof TemplateError, String(err));
          return;
        }
        try {
          assert.equal(typeof renderTemplate(t, json, 'html'), 'string');
        } catch (err) {
          assert.ok(err instanceof TemplateError, String(err));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
