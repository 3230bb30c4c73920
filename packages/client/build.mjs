// The script-tag bundle: dist/trtc-calling.js, one IIFE exposing the global `TRTCCalling` (as Tencent's
// trtc-calling-js.js does). The ESM build (dist/index.js) is tsc's.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/global.ts', import.meta.url).pathname],
  outfile: new URL('./dist/trtc-calling.js', import.meta.url).pathname,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  sourcemap: true,
  logLevel: 'warning',
});
