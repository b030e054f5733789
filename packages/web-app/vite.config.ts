import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app is served by the API at / under a strict CSP (services/api/src/web/web-app-routes.ts):
// no inline script or style may come out of the build, and every asset is a file under assets/
// (the basemap too: nothing is fetched from another origin).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Assets are never inlined as data: URLs in CSS/JS; the JSON basemap stays a separate, cacheable file.
    assetsInlineLimit: 0,
    // The polyfill would be an inline-able snippet; every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    target: 'es2022',
  },
});
