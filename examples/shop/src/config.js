import { resolve } from 'node:path';

/**
 * @typedef {object} ShopConfig
 * @property {string} beckonUrl   the platform's API base URL (Beckon's, or https://api.weixin.qq.com)
 * @property {string} appId
 * @property {string} appSecret
 * @property {string | undefined} pushToken       message-push Token; without it /push is off
 * @property {string | undefined} pushAesKey      EncodingAESKey (compatible and secure modes)
 * @property {string} host
 * @property {number} port                        0 picks a free port
 * @property {string} dataDir                     orders, bookings (and the ledger, without Redis) are kept here
 * @property {string} shippedTemplateId           private template of 订单发货提醒 (tid 1101)
 * @property {string} reminderTemplateId          private template of 预约到期提醒 (tid 1302)
 * @property {string} deliveredTemplateId         private template of 签收成功通知 (tid 1203)
 * @property {number} [shipAfterMs]               an order ships this long after it is placed (default 3 s)
 * @property {number} [deliverAfterMs]            and is delivered this long after it shipped (default 10 s)
 * @property {string | undefined} redisUrl        share the ledger between shop processes
 * @property {number} reminderPollMs              how often due reminders are looked for
 * @property {number} [reminderRetryMs]           first backoff after a transient send failure (doubles)
 */

/** Reads the shop's configuration from the environment; a missing or bad value is a clear error. */
export function configFromEnv(env = process.env) {
  const missing = [
    'APP_ID',
    'APP_SECRET',
    'SHIPPED_TEMPLATE_ID',
    'DELIVERED_TEMPLATE_ID',
    'REMINDER_TEMPLATE_ID',
  ].filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`shop: set ${missing.join(', ')} (see examples/shop/README.md)`);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`shop: PORT must be a port, got ${env.PORT}`);
  const reminderPollMs = Number(env.REMINDER_POLL_MS ?? 1000);
  if (!(reminderPollMs > 0))
    throw new Error(`shop: REMINDER_POLL_MS must be positive, got ${env.REMINDER_POLL_MS}`);
  const reminderRetryMs = Number(env.REMINDER_RETRY_MS ?? 30_000);
  if (!(reminderRetryMs > 0))
    throw new Error(`shop: REMINDER_RETRY_MS must be positive, got ${env.REMINDER_RETRY_MS}`);
  const delay = (name, fallback) => {
    const ms = Number(env[name] ?? fallback);
    // setTimeout's range: a day is plenty for a demo's shipping.
    if (!Number.isInteger(ms) || ms < 0 || ms > 86_400_000)
      throw new Error(`shop: ${name} must be 0 to 86400000 milliseconds, got ${env[name]}`);
    return ms;
  };
  return {
    beckonUrl: env.BECKON_URL ?? 'http://127.0.0.1:8720',
    appId: /** @type {string} */ (env.APP_ID),
    appSecret: /** @type {string} */ (env.APP_SECRET),
    pushToken: env.PUSH_TOKEN || undefined,
    pushAesKey: env.PUSH_AES_KEY || undefined,
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    shippedTemplateId: /** @type {string} */ (env.SHIPPED_TEMPLATE_ID),
    reminderTemplateId: /** @type {string} */ (env.REMINDER_TEMPLATE_ID),
    deliveredTemplateId: /** @type {string} */ (env.DELIVERED_TEMPLATE_ID),
    shipAfterMs: delay('SHIP_AFTER_MS', 3000),
    deliverAfterMs: delay('DELIVER_AFTER_MS', 10_000),
    redisUrl: env.REDIS_URL || undefined,
    reminderPollMs,
    reminderRetryMs,
  };
}
