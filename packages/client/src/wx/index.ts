/**
 * @beckon/client/wx: the `wx` a mini program's page calls, inside Beckon's phone (docs:
 * packages/client/README.md). `createWx()` builds it; `/sdk/wx.js` defines it as the global `wx`.
 */
export { createWx, type WxOptions } from './create-wx.js';
export type * from './types.js';
