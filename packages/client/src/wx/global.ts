// The script-tag bundle's entry: `<script src="https://<beckon>/sdk/wx.js">` defines the global `wx`, as
// WeChat's runtime does for a mini program.
import { createWx, parentOrigin } from './create-wx.js';

/** Where this script was loaded from: the Beckon server, which serves the phone too. */
function scriptOrigin(): string | undefined {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  try {
    return src ? new URL(src).origin : undefined;
  } catch {
    return undefined;
  }
}

// The parent's origin as the browser reports it comes first (a phone served from elsewhere, e.g. a
// development server); where the browser does not tell (Firefox), the script's origin stands in.
const shellOrigin = parentOrigin(window) ?? scriptOrigin();
(globalThis as { wx?: unknown }).wx = createWx(shellOrigin ? { shellOrigin } : {});
