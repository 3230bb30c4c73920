/**
 * @beckon/client/platform: the platform's client API (`/api/…`) over fetch, shared by the phone, the inbox
 * and the shell: `import { PlatformHttp, PlatformError } from '@beckon/client/platform'`.
 */
export { PlatformError, PlatformHttp, type PlatformHttpOptions } from './http.js';
