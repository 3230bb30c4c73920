// The script-tag bundle's entry: `<script src="/sdk/trtc-calling.js">` defines the global TRTCCalling, as
// Tencent's trtc-calling-js.js does.
import TRTCCalling from './index.js';

(globalThis as { TRTCCalling?: typeof TRTCCalling }).TRTCCalling = TRTCCalling;
