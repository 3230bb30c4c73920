import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answerSubscribeDialog,
  platformGrants as grantsHeld,
} from 'beckon-example-shop/test/support/platform.js';
import { expect } from 'vitest';
import { addLibraryTemplate, signUp, testServer } from '../../../packages/server/src/test-support/harness.js';
import { startGame } from '../src/game-server.js';

export { waitFor } from 'beckon-example-shop/test/support/platform.js';

/*
 * The game as it runs next to `npm start`: a real Beckon server listening on 127.0.0.1, the game's server
 * on another port, players who sign in with a `wx.login` code and subscribe through Beckon's client API
 * (the phone's shell does the same when the page calls `wx.requestSubscribeMessage`), then report the
 * result to the game as the page does.
 */

export const quiet = { info() {}, warn() {} };

/** A Beckon with a mini game and its 体力恢复提醒 template (tid 2001, kidList [1,2,3,4]). */
export async function world() {
  const s = await testServer();
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const beckonUrl = `http://127.0.0.1:${s.app.server.address().port}`;
  const app = await s.newApp('minigame');
  const template = await addLibraryTemplate(s, app, 2001, [1, 2, 3, 4]);
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-game-'));
  const games = [];
  return {
    s,
    beckonUrl,
    app,
    template,
    dataDir,
    /** Starts the game's server (stopped by `close`). */
    async game({ refillMs = 60_000, log = quiet } = {}) {
      const game = await startGame(
        {
          beckonUrl,
          appId: app.appid,
          appSecret: app.secret,
          staminaTemplateId: template,
          host: '127.0.0.1',
          port: 0,
          dataDir,
          staminaRefillMs: refillMs,
          timeZone: 'UTC',
        },
        { log },
      );
      games.push(game);
      return game;
    },
    async stop(game) {
      games.splice(games.indexOf(game), 1);
      await game.close();
    },
    async close() {
      for (const game of games.splice(0)) await game.close();
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the game; `session` signs it as that player. */
export async function call(game, method, path, body, session) {
  const res = await fetch(new URL(path, game.url), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(session ? { authorization: `Bearer ${session}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** A `wx.login` code of `user` in the game, as the phone's shell gets it for the page. */
export async function loginCode(w, user) {
  const res = await w.s.app.inject({
    method: 'POST',
    url: `/api/apps/${w.app.appid}/login`,
    headers: { authorization: `Bearer ${user.token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().code;
}

/** A person on the platform who opens the game: signed up, and signed in to the game with a login code. */
export async function player(w, game, username) {
  const user = await signUp(w.s, username);
  const res = await call(game, 'POST', '/session', { code: await loginCode(w, user) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...user, openid: res.body.openid, session: res.body.session, signIn: res.body };
}

/**
 * The player answers the subscribe dialog in Beckon's shell (accepting `accepted` of `tmplIds`); the page
 * reports the result to the game. Answers the game's view of the player.
 */
export async function subscribe(w, game, p, { tmplIds = [w.template], accepted = tmplIds } = {}) {
  const result = await answerSubscribeDialog(w.s, w.app.appid, p, tmplIds, accepted);
  const report = await call(game, 'POST', '/subscriptions/report', { result }, p.session);
  expect(report.status, JSON.stringify(report.body)).toBe(200);
  return report.body;
}

/** The grants Beckon itself holds for the player and the template. */
export const platformGrants = (w, p) => grantsHeld(w.s, w.app.appid, p, w.template);

export const inbox = (w, p) => w.s.ctx.store.messages.inbox(p.userId, 100);
