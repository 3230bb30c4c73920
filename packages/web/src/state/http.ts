import { PlatformError, PlatformHttp } from '@beckon/client/platform';
import { Errors } from '@beckon/protocol';

/** Where the session token is kept between reloads. */
export const TOKEN_KEY = 'beckon.session';

/**
 * The phone's one PlatformHttp, shared with the shell and the inbox: a 92004 (session missing, invalid or
 * expired) from any call signs the phone out, whichever part made the call.
 */
class PhoneHttp extends PlatformHttp {
  onSessionEnded: () => void = () => {};

  override async request<T>(...args: Parameters<PlatformHttp['request']>): Promise<T> {
    try {
      return await super.request<T>(...args);
    } catch (err) {
      if (err instanceof PlatformError && err.errcode === Errors.SESSION_INVALID.code) this.onSessionEnded();
      throw err;
    }
  }
}

function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage blocked: the session lasts as long as the page
  }
}

export const http = new PhoneHttp({ token: storedToken() });

/** What a person reads when a call failed: never an errcode alone, never a stack. */
export function inWords(err: unknown): string {
  if (!(err instanceof PlatformError)) return 'Something went wrong. Please try again.';
  if (err.network) return 'Beckon cannot be reached. Check your connection and try again.';
  switch (err.errcode) {
    case Errors.USERNAME_TAKEN.code:
      return 'That username is already taken. Please choose another.';
    case Errors.WRONG_CREDENTIALS.code:
      return 'Wrong username or password.';
    case Errors.TOO_MANY_SIGN_INS.code:
      return 'Too many failed sign-ins. Please wait a few minutes and try again.';
    case Errors.SESSION_INVALID.code:
      return 'Your session has ended. Please sign in again.';
    case Errors.INVALID_REQUEST.code: {
      // `invalid request: username must be …`: the detail is written for people already.
      const detail = err.message.replace(/^invalid request:?\s*/i, '').replace(/ rid: .*$/, '');
      return detail ? `${detail[0]!.toUpperCase()}${detail.slice(1)}.` : 'That request was not valid.';
    }
    case Errors.APP_NOT_FOUND.code:
      return 'This mini program no longer exists.';
    default:
      return `Something went wrong (${err.errcode}). Please try again.`;
  }
}
