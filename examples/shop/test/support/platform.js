import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';

/*
 * What a sample's tests do on Beckon's side (the shop's and the game's): the person answering the subscribe
 * dialog in the phone's shell, the grants the platform itself holds; and waiting for what comes later.
 */

/**
 * The user answers the subscribe dialog in Beckon's shell (accepting `accepted` of `tmplIds`) through the
 * client API, as the shell does; answers the result `wx.requestSubscribeMessage` resolves with in the page.
 *
 * @param {import('../../../../packages/server/src/test-support/harness.js').TestServer} s
 * @param {string} appid
 * @param {{ token: string }} user
 * @param {string[]} tmplIds
 * @param {string[]} accepted
 */
export async function answerSubscribeDialog(s, appid, user, tmplIds, accepted) {
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/apps/${appid}/subscriptions`,
    headers: { authorization: `Bearer ${user.token}` },
    payload: { tmplIds, accepted },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The grants Beckon itself holds for the user and the template. */
export async function platformGrants(s, appid, user, templateId) {
  return (await s.ctx.store.consent.grants(appid, user.userId, [templateId]))[0]?.remaining ?? 0;
}

/** Polls `check` until it gives a truthy value (returned), or fails after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
