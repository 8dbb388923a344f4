import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ERROR_CODES, type ErrorBody } from '../../../protocol/error-codes.js';
import { VigilError } from '../../core/errors.js';

/** Fastify's own error codes for bad requests, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, keyof typeof ERROR_CODES> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'VIGIL_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VIGIL_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VIGIL_ERR_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VIGIL_ERR_INVALID_JSON',
  FST_ERR_VALIDATION: 'VIGIL_ERR_VALIDATION',
};

/** Sends a typed error body with `Retry-After` when the error says when to retry. */
export function sendError(reply: FastifyReply, err: VigilError): FastifyReply {
  if (err.retryAfterSeconds !== undefined) reply.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
  const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  return reply.status(err.status).send(body);
}

/** Converts any thrown value into a VigilError; unknown errors become a generic 500. */
export function toVigilError(err: unknown): VigilError {
  if (err instanceof VigilError) return err;
  const fe = err as Partial<FastifyError> & { type?: string };
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return new VigilError(mapped, cleanMessage(fe, mapped));
  if (fe.type === 'entity.too.large' || fe.code === 'VIGIL_BODY_TOO_LARGE') return new VigilError('VIGIL_ERR_PAYLOAD_TOO_LARGE', 'the body is larger than the limit');
  if (err instanceof SyntaxError || fe.code === 'Z_DATA_ERROR' || fe.code === 'Z_BUF_ERROR') return new VigilError('VIGIL_ERR_INVALID_JSON', 'the body could not be decoded (invalid JSON or compressed data)');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new VigilError(fe.statusCode === 404 ? 'VIGIL_ERR_NOT_FOUND' : fe.statusCode === 413 ? 'VIGIL_ERR_PAYLOAD_TOO_LARGE' : fe.statusCode === 415 ? 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE' : 'VIGIL_ERR_BAD_REQUEST', safeMessage(fe.message));
  }
  return new VigilError('VIGIL_ERR_INTERNAL', 'internal error; the server log has the details');
}

function cleanMessage(fe: Partial<FastifyError>, code: keyof typeof ERROR_CODES): string {
  if (code === 'VIGIL_ERR_VALIDATION' && fe.message) return safeMessage(fe.message);
  return ERROR_CODES[code].description;
}

/** Messages from the framework are short and never include stack traces; cap them anyway. */
function safeMessage(message: string | undefined): string {
  return (message ?? 'bad request').split('\n')[0]!.slice(0, 300);
}

/** Installs the error and not-found handlers: every failure gets the same typed body. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const v = toVigilError(err);
    if (v.status >= 500 && v.code === 'VIGIL_ERR_INTERNAL') request.log.error({ err }, 'unhandled error');
    else if (v.status >= 500) request.log.warn({ code: v.code }, v.message);
    return sendError(reply, v);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new VigilError('VIGIL_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`)));
}
