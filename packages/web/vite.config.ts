import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The phone is index.html, served by Beckon at `/` (and every path of the app's own routes). Preact's
// devtools bridge only in the dev server: the build neither ships it nor transforms for it.
export default defineConfig(({ command }) => ({
  plugins: [preact({ devToolsEnabled: command === 'serve' })],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
}));
