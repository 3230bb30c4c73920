/**
 * @beckon/client: TRTCCalling for the browser, on Beckon. `import TRTCCalling from '@beckon/client'`, then use
 * it as Tencent's trtc-calling-js (docs: packages/client/README.md). Nothing touches the DOM at import time.
 */
import { TRTCCalling } from './trtc-calling.js';

export default TRTCCalling;
export type { CallStatus } from './call.js';
export { CallingError } from './errors.js';
export type { MediaPlane, MediaPlaneEvents } from './media/plane.js';
export { TRTCCalling, type TRTCCallingOptions } from './trtc-calling.js';
