// The script-tag bundle: dist/bundle/trtc-calling.js, one IIFE exposing the global `TRTCCalling` (as
// Tencent's trtc-calling-js.js does). The ESM build (dist/index.js) is tsc's, whose dist/trtc-calling.js is
// the module of src/trtc-calling.ts: the bundle has a folder of its own so neither overwrites the other.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/global.ts', import.meta.url).pathname],
  outfile: new URL('./dist/bundle/trtc-calling.js', import.meta.url).pathname,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  sourcemap: true,
  logLevel: 'warning',
});
