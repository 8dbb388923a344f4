import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { VigilError } from '../../core/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses JSON bodies strictly: invalid UTF-8 is a 400 (not silently turned into U+FFFD), and
 * `__proto__` / `constructor.prototype` keys are rejected instead of reaching business code.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as Buffer;
    if (buf.length === 0) return done(new VigilError('VIGIL_ERR_INVALID_JSON', 'the body is empty; send a JSON document'), undefined);
    let text: string;
    try {
      text = utf8.decode(buf);
    } catch {
      return done(new VigilError('VIGIL_ERR_INVALID_JSON', 'the body is not valid UTF-8'), undefined);
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      const proto = err instanceof SyntaxError && /prototype/i.test(err.message);
      done(new VigilError('VIGIL_ERR_INVALID_JSON', proto ? 'the body has a forbidden __proto__ or constructor.prototype key' : 'the body is not valid JSON'), undefined);
    }
  });
}
