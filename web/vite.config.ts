// Builds the dashboard into web/dist, which `vigil server` serves at `/`.
// `npm run dev:web` serves it with hot reload and proxies /api to VIGIL_DEV_SERVER
// (default http://127.0.0.1:8640) so the SPA talks to a real running server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const devTarget = process.env.VIGIL_DEV_SERVER ?? 'http://127.0.0.1:8640';

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The server's CSP allows only same-origin files: no data: URIs, no inline module-preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target: devTarget, ws: true, changeOrigin: false },
      '/health': devTarget,
      '/ready': devTarget,
    },
  },
});
