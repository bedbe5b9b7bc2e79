// Vite config of the clinic page (examples/clinic). `npm run clinic` serves it; `vite build`
// writes examples/clinic/dist (relative base, so the build also works from any folder).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // The page imports the library's browser-safe core straight from ../../src.
  server: { fs: { allow: [repoRoot] } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
