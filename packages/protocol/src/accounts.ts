/** Platform accounts and `wx.login` (spec §1.2): the client API's shapes and the limits both sides check. */

/** 3 to 32 of letters, digits, `_`, `.`, `-`; unique regardless of case. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const DISPLAY_NAME_MAX_LENGTH = 32;

/** A session token (`Authorization: Bearer …`) is valid this long after sign-in; there is no sliding renewal. */
export const SESSION_TTL_SECONDS = 30 * 86_400;
/** A `wx.login` code is valid this long, and for one `jscode2session` call (spec §1.2). */
export const LOGIN_CODE_TTL_SECONDS = 300;

/** A user as the client API shows them. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
}

/** `POST /api/accounts` */
export interface RegisterRequest {
  username: string;
  password: string;
  displayName?: string;
}

/** `POST /api/sessions` */
export interface SignInRequest {
  username: string;
  password: string;
}

/** `POST /api/sessions` success (201). */
export interface SessionResponse {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  user: UserView;
}

/** `POST /api/apps/:appid/login`: what `wx.login` resolves with inside the app. */
export interface WxLoginResponse {
  code: string;
  errMsg: 'login:ok';
}

/**
 * A friend on the platform: added by username, and then each is the other's friend (both see it). Mini games
 * see their players' friends (`wx.getFriendCloudStorage`) and remind them (spec §6.5); calling lists them as
 * contacts.
 */
export interface FriendView extends UserView {
  /** ISO 8601: when the two became friends. */
  since: string;
}

/** `GET /api/friends` answer, by username. */
export interface FriendsResponse {
  friends: FriendView[];
}

/** `POST /api/friends` body: 201 with the new FriendView; 404 no such user; adding oneself or a friend again is 91000 / 200 (idempotent). */
export interface AddFriendRequest {
  username: string;
}
