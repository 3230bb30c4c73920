import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The phone is index.html, served by Beckon at `/` (and every path of the app's own routes).
export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
