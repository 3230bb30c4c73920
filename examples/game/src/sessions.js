import { randomBytes } from 'node:crypto';

const MAX_SESSIONS = 10_000;
const SESSION_TTL_MS = 24 * 3_600_000;

/**
 * The game's own sign-in: a `wx.login` code, exchanged for the openid (`code2Session`), gives the page a
 * random session token that stands for that openid. Openids are not secrets here — the friends' board shows
 * them, and "Send a star" needs them — so the game never takes one from the page as proof of who plays.
 * Kept in memory: after a restart the page signs in again (401 → `wx.login`).
 */
export class Sessions {
  constructor({ now = Date.now } = {}) {
    this.now = now;
    /** @type {Map<string, { openid: string, expiresAt: number }>} oldest first */
    this.byToken = new Map();
  }

  /** A new session for `openid`; the oldest one goes when there are too many. */
  open(openid) {
    const token = randomBytes(24).toString('base64url');
    this.byToken.set(token, { openid, expiresAt: this.now() + SESSION_TTL_MS });
    if (this.byToken.size > MAX_SESSIONS) this.byToken.delete(this.byToken.keys().next().value);
    return token;
  }

  /** The openid of a live session, or undefined. */
  openid(token) {
    const session = this.byToken.get(token);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.byToken.delete(token);
      return undefined;
    }
    return session.openid;
  }
}
