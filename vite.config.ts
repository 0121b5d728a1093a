import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));

/**
 * The web app is built into web/dist and served by Separ itself (src/http/static.routes.ts): hashed
 * assets with immutable caching, index.html with a per-response CSP style nonce.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // CSP allows fonts and scripts from 'self' only: never inline assets as data: URLs.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
    // Lists each chunk's imports: the browser suite measures the initial JavaScript from it.
    manifest: true,
  },
  server: {
    proxy: {
      '/api': { target: 'https://127.0.0.1:8443', secure: false },
    },
  },
});
