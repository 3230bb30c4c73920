// The script-tag bundles, one IIFE each: dist/bundle/trtc-calling.js exposing the global `TRTCCalling` (as
// Tencent's trtc-calling-js.js does) and dist/bundle/wx.js defining a mini program page's global `wx`. The
// ESM build (dist/index.js, dist/wx/, dist/shell/) is tsc's, whose dist/trtc-calling.js is the module of
// src/trtc-calling.ts: the bundles have a folder of their own so neither overwrites the other.
import { build } from 'esbuild';

const bundles = { 'trtc-calling.js': './src/global.ts', 'wx.js': './src/wx/global.ts' };

await Promise.all(
  Object.entries(bundles).map(([file, entry]) =>
    build({
      entryPoints: [new URL(entry, import.meta.url).pathname],
      outfile: new URL(`./dist/bundle/${file}`, import.meta.url).pathname,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
);
