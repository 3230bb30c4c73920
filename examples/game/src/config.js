import { resolve } from 'node:path';

/**
 * @typedef {object} GameConfig
 * @property {string} beckonUrl          the platform's base URL: its API, and `/sdk/wx.js` for the page
 * @property {string} appId
 * @property {string} appSecret
 * @property {string} staminaTemplateId  private template of 体力恢复提醒 "Stamina refilled" (tid 2001)
 * @property {string} host
 * @property {number} port               0 picks a free port
 * @property {string} dataDir            players' stamina and the consent-ledger mirror are kept here
 * @property {number} staminaRefillMs    how long stamina takes to refill after a run
 * @property {string} [timeZone]         of the refill time on the card; the machine's own by default
 */

/** Reads the game's configuration from the environment; a missing or bad value is a clear error. */
export function configFromEnv(env = process.env) {
  const missing = ['APP_ID', 'APP_SECRET', 'STAMINA_TEMPLATE_ID'].filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`game: set ${missing.join(', ')} (see examples/game/README.md)`);
  const beckon = URL.parse(env.BECKON_URL || 'http://127.0.0.1:8720');
  if (!beckon || !/^https?:$/.test(beckon.protocol) || beckon.search || beckon.hash)
    throw new Error(`game: BECKON_URL must be an http(s) URL without query, got ${env.BECKON_URL}`);
  // Without the trailing slash: the page's script is `${beckonUrl}/sdk/wx.js`.
  const beckonUrl = `${beckon.origin}${beckon.pathname}`.replace(/\/+$/, '');
  const port = Number(env.PORT || 8722);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`game: PORT must be a port, got ${env.PORT}`);
  const staminaRefillMs = Number(env.STAMINA_REFILL_MS || 60_000);
  // At most a day: a refill is one timer, and setTimeout takes at most 2^31 - 1 ms.
  if (!Number.isInteger(staminaRefillMs) || staminaRefillMs <= 0 || staminaRefillMs > 86_400_000)
    throw new Error(`game: STAMINA_REFILL_MS must be 1…86400000 ms, got ${env.STAMINA_REFILL_MS}`);
  return {
    beckonUrl,
    appId: /** @type {string} */ (env.APP_ID),
    appSecret: /** @type {string} */ (env.APP_SECRET),
    staminaTemplateId: /** @type {string} */ (env.STAMINA_TEMPLATE_ID),
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.DATA_DIR || 'data/game'),
    staminaRefillMs,
  };
}
