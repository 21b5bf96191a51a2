import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/console, which the Tingjian server serves (src/http/console/).
 * `npx vite --config console/vite.config.ts` serves it with hot reload and sends /api to a
 * running server (TINGJIAN_URL, default the demo's http://127.0.0.1:7300).
 */
export default defineConfig({
  root,
  base: '/',
  // precompress: .br and .gz copies of the assets, sent by the server to browsers that take them.
  plugins: [react(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // antd + echarts chunks are large by nature; pages are split per route (React.lazy).
    chunkSizeWarningLimit: 2000,
    // No inline scripts: the server's CSP has no 'unsafe-inline'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': process.env.TINGJIAN_URL ?? 'http://127.0.0.1:7300' } },
});
