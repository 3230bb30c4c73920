import { createHash, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { createClient, createLedgerMirror, WeChatError } from '@beckon/sdk';
import { HttpError, readJsonBody, requireString, sendJson, serveJson } from 'beckon-example-shop/src/http.js';
import { openLedgerStore } from 'beckon-example-shop/src/ledger-store.js';
import { applyReport } from 'beckon-example-shop/src/subscription-report.js';
import { CARD_PAGE, clockTime, staminaCardData } from './card.js';
import { loadPage } from './page.js';
import { Sessions } from './sessions.js';
import { MAX_STAMINA, StaminaKeeper } from './stamina.js';

/** How long a round lasts, in seconds (the page's timer). */
export const ROUND_SECONDS = 20;

/** The player's openid from `authorization: Bearer <session>`; 401 sends the page to sign in again. */
function playerOf(req, sessions) {
  const m = /^Bearer ([\w-]{1,64})$/.exec(req.headers.authorization ?? '');
  const openid = m ? sessions.openid(m[1]) : undefined;
  if (!openid) throw new HttpError(401, 'sign in again: POST /session with a wx.login code');
  return openid;
}

const digest = (s) => createHash('sha256').update(s).digest();
/** Compares in constant time (digests: equal lengths whatever the input). */
const sameSecret = (given, expected) => timingSafeEqual(digest(given), digest(expected));

/**
 * Starts the game's server: its page (with `wx` from Beckon) and the backend behind it. Routes:
 * - `GET /` the page, `GET /icon.svg` and the page's scripts and style
 * - `POST /session {code}`: a `wx.login` code → `{session, openid, …player}` (code2Session)
 * - `GET /me`: `{openid, stamina, maxStamina, refillAt, banked}` (session)
 * - `POST /runs`: a round starts, costing one stamina; 409 when the bar is empty (session)
 * - `POST /subscriptions/report {result}` / `{refused: [ids] | 'all'}`: what the page learned (session)
 * - `POST /admin/refills {openid, tip?}`: the developer refills a bar now, card included
 *   (`authorization: Bearer <APP_SECRET>`)
 *
 * @param {import('./config.js').GameConfig} config
 */
export async function startGame(config, { log = console } = {}) {
  // The machine's own zone: the card's times read as the clock the person sees (the sample's choice).
  const timeZone = config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const client = createClient({
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.beckonUrl,
  });
  const ledger = await openLedgerStore({ dataDir: config.dataDir });
  const mirror = createLedgerMirror({ client, store: ledger.store });
  const sessions = new Sessions();
  const page = await loadPage({
    beckonUrl: config.beckonUrl,
    pageConfig: { staminaTemplateId: config.staminaTemplateId, roundSeconds: ROUND_SECONDS },
  });

  /** The "Stamina refilled" card, spending one banked grant; what happened, never a throw. */
  async function sendStaminaCard(openid, refilledAt, { tip } = {}) {
    const data = staminaCardData({ stamina: MAX_STAMINA, at: clockTime(refilledAt, timeZone), tip });
    try {
      const msgid = await mirror.sendWithQuota({
        touser: openid,
        template_id: config.staminaTemplateId,
        data,
        page: CARD_PAGE,
        lang: 'en_US',
      });
      return { sent: true, msgid: msgid.toString() };
    } catch (err) {
      if (err instanceof WeChatError && err.errcode === 43101)
        return { sent: false, reason: 'no reminder banked' };
      log.warn(`game: stamina card to ${openid}: ${err.message}`);
      return {
        sent: false,
        reason: 'the notification platform failed',
        ...(err instanceof WeChatError ? { errcode: err.errcode, errmsg: err.errmsg } : {}),
      };
    }
  }

  const stamina = new StaminaKeeper({
    path: join(config.dataDir, 'players.json'),
    refillMs: config.staminaRefillMs,
    log,
    onRefill: (openid, refilledAt, context) => sendStaminaCard(openid, refilledAt, context),
  });
  await stamina.load();

  const player = async (openid) => ({
    openid,
    ...stamina.view(openid),
    banked: await mirror.count(openid, config.staminaTemplateId),
  });

  async function signIn(body) {
    const code = requireString(body, 'code', 128);
    let openid;
    try {
      ({ openid } = await client.auth.code2Session(code));
    } catch (err) {
      // 40029 invalid code, 40163 code been used: the page asks wx.login for a new one.
      if (err instanceof WeChatError && (err.errcode === 40029 || err.errcode === 40163))
        throw new HttpError(400, `wx.login code refused: ${err.errmsg}`);
      throw err;
    }
    return [200, { session: sessions.open(openid), ...(await player(openid)) }];
  }

  async function startRun(openid) {
    const view = await stamina.spend(openid);
    if (!view) return [409, { error: 'out of stamina', ...stamina.view(openid) }];
    return [200, view];
  }

  async function report(openid, body) {
    const ignored = await applyReport(mirror, openid, body);
    if (ignored.length > 0) return [200, { ...(await player(openid)), ignored }];
    return [200, await player(openid)];
  }

  async function refillNow(req, body) {
    if (!sameSecret(req.headers.authorization ?? '', `Bearer ${config.appSecret}`))
      throw new HttpError(401, 'developer route: authorization: Bearer <APP_SECRET>');
    const openid = requireString(body, 'openid', 128);
    if (body.tip !== undefined && typeof body.tip !== 'string')
      throw new HttpError(400, '"tip" must be a string');
    // The card's data is checked before anything changes: a tip the template refuses refills nothing.
    const at = clockTime(Date.now(), timeZone);
    try {
      await mirror.checkData(
        config.staminaTemplateId,
        staminaCardData({ stamina: MAX_STAMINA, at, tip: body.tip }),
      );
    } catch (err) {
      if (err instanceof WeChatError) throw new HttpError(400, err.errmsg);
      throw err;
    }
    const { refilled, outcome } = await stamina.refillNow(openid, { tip: body.tip });
    if (!refilled) return [409, { error: 'the stamina bar is already full', ...(await player(openid)) }];
    return [200, { refilled: true, card: outcome, ...(await player(openid)) }];
  }

  /** [method, path, handler(req)]: the first match answers. */
  const routes = [
    ['POST', '/session', async (req) => signIn(await readJsonBody(req))],
    ['GET', '/me', async (req) => [200, await player(playerOf(req, sessions))]],
    ['POST', '/runs', async (req) => startRun(playerOf(req, sessions))],
    [
      'POST',
      '/subscriptions/report',
      async (req) => {
        const openid = playerOf(req, sessions);
        return report(openid, await readJsonBody(req));
      },
    ],
    ['POST', '/admin/refills', async (req) => refillNow(req, await readJsonBody(req))],
  ];

  async function route(req, res) {
    const { pathname } = new URL(req.url ?? '/', 'http://game');
    if (req.method === 'GET' || req.method === 'HEAD') {
      const file = page.file(pathname);
      if (file) {
        res.writeHead(200, page.headers(file.type));
        return res.end(req.method === 'HEAD' ? undefined : file.body);
      }
    }
    for (const [method, path, handle] of routes) {
      if (req.method === method && pathname === path) return sendJson(res, ...(await handle(req)));
    }
    throw new HttpError(404, 'not found');
  }

  const server = await serveJson({ host: config.host, port: config.port, name: 'game', log }, route);
  await stamina.start();

  return {
    /** The front end: the page's URL, as Beckon registers it. */
    url: `${server.url}/`,
    mirror,
    stamina,
    async close() {
      await stamina.stop();
      await server.close();
      await ledger.flush();
      await ledger.store.close();
    },
  };
}
