/**
 * Routes are grouped by audience, and the audience decides the error shape: WeChat-facing paths answer
 * HTTP 200 with `{errcode, errmsg}` (errmsg ending in ` rid: …`); client and admin paths answer the same
 * body with an HTTP status from the registry.
 */
// `/beckon/` holds Beckon's own open-API routes (call records): behind the access token, shaped like WeChat's.
const WECHAT_PREFIXES = ['/cgi-bin/', '/sns/', '/wxaapi/', '/wxa/', '/beckon/'];

export function isWechatPath(url: string): boolean {
  return WECHAT_PREFIXES.some((prefix) => url.startsWith(prefix));
}
