import type { FastifyInstance, FastifyReply } from 'fastify';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { VigilError } from '../../core/errors.js';
import { sendError } from './error-handler.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Paths that are never the SPA: unknown ones there are real 404s. */
const NON_SPA_PREFIXES = ['/api/', '/metrics', '/health', '/ready'];

/**
 * Resolves a URL path to a file strictly inside `root`, or null. Rejects encoded separators,
 * NUL, backslashes and dot segments before touching the file system, then re-checks the real
 * path (symlinks) against the root.
 */
export function safeFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  if (/%2f|%5c|%2e/i.test(urlPath)) return null;
  const candidate = resolve(root, `.${decoded}`);
  if (!candidate.startsWith(root + sep)) return null;
  if (!existsSync(candidate) || !statSync(candidate).isFile()) return null;
  const real = realpathSync(candidate);
  return real.startsWith(root + sep) ? real : null;
}

function sendFile(reply: FastifyReply, file: string, immutable: boolean): FastifyReply {
  reply.type(TYPES[extname(file)] ?? 'application/octet-stream');
  reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  return reply.send(createReadStream(file));
}

/** Serves the built dashboard with an SPA fallback to index.html (public: it holds no data). */
export function installWebStatic(app: FastifyInstance, webDir: string | null): void {
  const root = webDir && existsSync(join(webDir, 'index.html')) ? realpathSync(webDir) : null;
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] as string;
    if (NON_SPA_PREFIXES.some((p) => path.startsWith(p))) return sendError(reply, new VigilError('VIGIL_ERR_NOT_FOUND', `no route GET ${path.slice(0, 200)}`));
    if (!root) return sendError(reply, new VigilError('VIGIL_ERR_NOT_FOUND', 'the dashboard is not built; run npm run build:web'));
    const file = path === '/' ? null : safeFile(root, path);
    if (file) return sendFile(reply, file, path.startsWith('/assets/'));
    if (path.startsWith('/assets/') || extname(path) !== '') return sendError(reply, new VigilError('VIGIL_ERR_NOT_FOUND', 'no such file'));
    return sendFile(reply, join(root, 'index.html'), false);
  });
}
