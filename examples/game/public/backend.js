/**
 * The page's side of the game: `wx` calls as promises, and the game's own backend (same origin), signed in
 * with a `wx.login` code. Every call of `wx` goes through `wxCall`, with WeChat's callbacks, so it works
 * whether or not the API also answers promises.
 */

/**
 * `wx[name](args)` as a promise: resolves with `success`'s result, rejects with `fail`'s (`{errMsg, errCode?}`).
 * @example const { code } = await wxCall('login');
 */
export function wxCall(name, args = {}) {
  return new Promise((resolve, reject) => {
    if (typeof globalThis.wx?.[name] !== 'function') {
      reject({ errMsg: `${name}:fail not available here` });
      return;
    }
    globalThis.wx[name]({ ...args, success: resolve, fail: reject });
  });
}

/** A failure's text for the player: WeChat's reason without the `"<api>:fail "` prefix. */
export const failText = (err) =>
  String(err?.errMsg ?? err?.message ?? err).replace(/^[\w.]+:fail\s*/, '') || 'failed';

let session;
let signingIn;

/** Signs in (again): a `wx.login` code for a session of the game's backend; resolves with the player. */
export function signIn() {
  signingIn ??= (async () => {
    try {
      const { code } = await wxCall('login');
      const player = await request('POST', '/session', { code }, false);
      session = player.session;
      return player;
    } finally {
      signingIn = undefined;
    }
  })();
  return signingIn;
}

/** An error of the game's backend, with its HTTP status and answer. */
export class BackendError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function request(method, path, body, authorized = true) {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(authorized && session ? { authorization: `Bearer ${session}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new BackendError(res.status, answer);
  return answer;
}

/**
 * A call to the game's backend as the signed-in player; signs in first, and again once when the session is
 * gone (the backend restarted).
 * @example const player = await backend('POST', '/runs');
 */
export async function backend(method, path, body) {
  if (!session) await signIn();
  try {
    return await request(method, path, body);
  } catch (err) {
    if (!(err instanceof BackendError) || err.status !== 401) throw err;
    await signIn();
    return request(method, path, body);
  }
}
