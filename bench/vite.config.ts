import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Cross-origin isolation lets the page measure its own and its worker's memory. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, '../.bench-dist'),
    emptyOutDir: true,
    rolldownOptions: { input: resolve(import.meta.dirname, 'index.html') },
  },
  preview: { port: 4175, strictPort: true, headers: isolation },
});
