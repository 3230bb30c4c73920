/** Token lifetimes and limits of spec §1.1; the server's config can lower the daily caps for tests. */
export const TOKEN_TTL_SECONDS = 7200;
/** A superseded `/cgi-bin/token` token stays valid this long; `stable_token` renews this long before expiry. */
export const TOKEN_OVERLAP_SECONDS = 300;
/** `stable_token` with `force_refresh` refreshes at most once per this many seconds. */
export const FORCE_REFRESH_INTERVAL_SECONDS = 30;
export const FORCE_REFRESH_PER_DAY = 20;
/** Token length: WeChat says reserve 512; Senparc treats ≤ 32 characters as an appid. */
export const TOKEN_LENGTH = 136;

/** `GET /cgi-bin/token` and `POST /cgi-bin/stable_token` success: no errcode (spec §1.1). */
export interface AccessTokenResponse {
  access_token: string;
  expires_in: number;
}

/** `GET /sns/jscode2session` success (spec §1.2). */
export interface Code2SessionResponse {
  openid: string;
  session_key: string;
  unionid?: string;
}
