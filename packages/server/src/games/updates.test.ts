import { Errors, type InboxCard, type ServerFrame } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { setSubscribeBanned } from '../apps/service.js';
import { ADMIN_TOKEN, RID_SUFFIX } from '../test-support/harness.js';
import { acceptTypes, type Player, player, useGameWorld } from './test-support/game-world.js';

// Game updates (spec §6.5 "game update reminders"): published through the open API and the admin API,
// reminding subscribed players with a system card, at most once per game per China day.

const w = useGameWorld();
const WHATS_NEW = 'SYS_MSG_TYPE_WHATS_NEW';
const HOUR = 3600_000;

async function publish(body: unknown, token?: string) {
  const accessToken = token ?? (await w.s.tokenFor(w.game));
  return w.s.app.inject({
    method: 'POST',
    url: `/beckon/game-updates?access_token=${accessToken}`,
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

const admin = (method: 'GET' | 'POST', appid: string, payload?: Record<string, unknown>) =>
  w.s.app.inject({
    method,
    url: `/admin/apps/${appid}/game-updates`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload ? { payload } : {}),
  });

const cardsOf = (frames: ServerFrame[]) => frames.flatMap((f) => (f.type === 'inbox.card' ? [f.card] : []));

async function expectWechatError(
  res: { statusCode: number; json(): unknown },
  code: number,
  message?: RegExp,
) {
  expect(res.statusCode).toBe(200);
  const body = res.json() as { errcode: number; errmsg: string };
  expect(body.errcode).toBe(code);
  expect(body.errmsg).toMatch(RID_SUFFIX);
  if (message) expect(body.errmsg).toMatch(message);
}

describe('publishing through the open API', () => {
  test('a subscribed player gets one "Game update" card, live and in the inbox; the answer counts them', async () => {
    await acceptTypes(w.alice, w.game.appid, [WHATS_NEW]);
    const res = await publish({ version: '1.4.0', phrases: ['新增关卡', '修复bug'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      errcode: 0,
      errmsg: 'ok',
      updateId: expect.stringMatching(/^upd_[0-9a-f]{24}$/),
      appid: w.game.appid,
      version: '1.4.0',
      phrases: ['新增关卡', '修复bug'],
      publishedAt: new Date(w.s.clock.now()).toISOString(),
      reminded: 1,
    });
    const expected: InboxCard = {
      kind: 'system',
      msgid: expect.stringMatching(/^\d{17,19}$/),
      appid: w.game.appid,
      appName: w.game.name,
      templateId: WHATS_NEW,
      title: 'Game update',
      rows: [
        { label: 'Game', value: w.game.name },
        { label: "What's new", value: 'New levels, Bug fixes' },
        { label: 'Version', value: '1.4.0' },
      ],
      page: null,
      lang: 'en_US',
      miniprogramState: 'formal',
      createdAt: new Date(w.s.clock.now()).toISOString(),
      read: false,
    };
    expect(await w.alice.c.inbox()).toEqual([expected]);
    expect(cardsOf(w.alice.frames)).toEqual([expected]);
    // bob never subscribed.
    expect(await w.bob.c.inbox()).toEqual([]);
    expect(cardsOf(w.bob.frames)).toEqual([]);
  });

  test('at most one reminder per player per game per China day; the next day reminds again', async () => {
    await acceptTypes(w.alice, w.game.appid, [WHATS_NEW]);
    // ManualClock starts at 12:00 China time.
    expect((await publish({ version: '1.0.0', phrases: ['新增关卡'] })).json().reminded).toBe(1);
    w.s.clock.advance(11 * HOUR + 59 * 60_000); // 23:59 China time, the same day
    expect((await publish({ version: '1.0.1', phrases: ['修复bug'] })).json().reminded).toBe(0);
    w.s.clock.advance(60_000); // midnight China time
    expect((await publish({ version: '1.0.2', phrases: ['优化性能'] })).json().reminded).toBe(1);
    expect((await w.alice.c.inbox()).map((c) => c.rows[2]?.value)).toEqual(['1.0.2', '1.0.0']);
  });

  test('the day is per game: another game’s reminder does not use this one’s', async () => {
    const other = await w.s.newApp('minigame');
    await acceptTypes(w.alice, w.game.appid, [WHATS_NEW]);
    await acceptTypes(w.alice, other.appid, [WHATS_NEW]);
    expect((await publish({ version: '2.0', phrases: ['新英雄上线'] })).json().reminded).toBe(1);
    expect(
      (await publish({ version: '7.1', phrases: ['新皮肤上线'] }, await w.s.tokenFor(other))).json().reminded,
    ).toBe(1);
    expect((await w.alice.c.inbox()).map((c) => c.appid)).toEqual([other.appid, w.game.appid]);
  });

  test('no reminder with the main switch off, the type switched off, rejected, or the game banned', async () => {
    const carol = await player(w.s, 'carol');
    const dave = await player(w.s, 'dave');
    const erin = await player(w.s, 'erin');
    for (const p of [w.alice, w.bob, carol, dave]) await acceptTypes(p, w.game.appid, [WHATS_NEW]);
    await w.alice.c.changeSettings(w.game.appid, { mainSwitch: false });
    await w.bob.c.changeSettings(w.game.appid, { itemSettings: { [WHATS_NEW]: 'reject' } });
    await erin.c.subscribe(w.game.appid, { msgTypeList: [WHATS_NEW], accepted: [] });
    expect((await publish({ version: '1.0', phrases: ['活动开启'] })).json().reminded).toBe(2);
    const got = async (p: Player) => (await p.c.inbox()).length;
    expect([
      await got(w.alice),
      await got(w.bob),
      await got(carol),
      await got(dave),
      await got(erin),
    ]).toEqual([0, 0, 1, 1, 0]);

    // Switched on again, the main switch reminds again (the next day).
    await w.alice.c.changeSettings(w.game.appid, { mainSwitch: true });
    w.s.clock.advance(24 * HOUR);
    expect((await publish({ version: '1.1', phrases: ['活动开启'] })).json().reminded).toBe(3);
    expect(await got(w.alice)).toBe(1);

    w.s.clock.advance(24 * HOUR);
    await setSubscribeBanned(w.s.ctx, w.game.appid, true);
    expect((await publish({ version: '1.2', phrases: ['活动开启'] })).json().reminded).toBe(0);
  });

  test('many subscribers: every one reminded once, across the fan-out’s batches', async () => {
    const players: Player[] = [];
    for (let i = 0; i < 450; i++) {
      const id = `u${String(i).padStart(4, '0')}`;
      // Straight into the store: 450 sign-ups through scrypt would take minutes.
      await w.s.ctx.store.accounts.createUser({
        id,
        username: id,
        displayName: id,
        passwordHash: 'x',
        createdAt: 0,
      });
      await w.s.ctx.store.games.recordSystemDecisions(
        w.game.appid,
        id,
        [{ msgType: WHATS_NEW, status: 'accept' }],
        0,
      );
      players.push({ userId: id } as Player);
    }
    const res = await publish({ version: '3.0.0', phrases: ['开启新赛季'] });
    expect(res.json().reminded).toBe(450);
    const counts = await Promise.all(players.map((p) => w.s.ctx.store.messages.unreadCount(p.userId)));
    expect(counts.every((n) => n === 1)).toBe(true);
    const listed = await w.s.app.inject({
      method: 'GET',
      url: `/beckon/game-updates?access_token=${await w.s.tokenFor(w.game)}`,
    });
    expect(listed.json().updates[0].reminded).toBe(450);
  });

  test('91000 naming the field: version, phrases; a version is published once; nothing written', async () => {
    for (const version of [undefined, '', 7, 'a'.repeat(33), '.1', '1.0 beta', '版本1'])
      await expectWechatError(
        await publish({ version, phrases: ['修复bug'] }),
        91000,
        /invalid request: version/,
      );
    for (const phrases of [
      undefined,
      [],
      '修复bug',
      ['修复bug', '修复bug'],
      ['新功能'],
      ['优化性能', '修复bug', '新增道具', '新增关卡'],
    ])
      await expectWechatError(await publish({ version: '1.0', phrases }), 91000, /invalid request: phrases/);
    expect((await publish({ version: '1.0', phrases: ['修复bug'] })).json().errcode).toBe(0);
    await expectWechatError(
      await publish({ version: '1.0', phrases: ['优化性能'] }),
      91000,
      /version 1\.0 is already published/,
    );
    expect((await w.s.ctx.store.games.updates(w.game.appid, 10)).length).toBe(1);
  });

  test('the token comes first; a mini program’s token is 48001; a body that is not an object 47001', async () => {
    await expectWechatError(await publish({ version: 7 }, 'not-a-token'), 40014);
    await expectWechatError(
      await w.s.app.inject({ method: 'POST', url: '/beckon/game-updates', payload: { version: '1.0' } }),
      41001,
    );
    const mp = await w.s.newApp('miniprogram');
    const mpToken = await w.s.tokenFor(mp);
    await expectWechatError(
      await publish({ version: '1.0', phrases: ['修复bug'] }, mpToken),
      48001,
      /api unauthorized/,
    );
    await expectWechatError(
      await w.s.app.inject({ method: 'GET', url: `/beckon/game-updates?access_token=${mpToken}` }),
      48001,
    );
    await expectWechatError(
      await w.s.app.inject({
        method: 'POST',
        url: `/beckon/game-updates?access_token=${await w.s.tokenFor(w.game)}`,
        payload: '[1]',
        headers: { 'content-type': 'application/json' },
      }),
      47001,
    );
  });

  test('GET lists the game’s updates newest first, only its own', async () => {
    const other = await w.s.newApp('minigame');
    await publish({ version: '1.0', phrases: ['修复bug'] });
    w.s.clock.advance(1000);
    await publish({ version: '1.1', phrases: ['优化性能', '新增道具'] });
    await publish({ version: '9.9', phrases: ['修复bug'] }, await w.s.tokenFor(other));
    const res = await w.s.app.inject({
      method: 'GET',
      url: `/beckon/game-updates?access_token=${await w.s.tokenFor(w.game)}`,
    });
    expect(res.json()).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(res.json().updates.map((u: { version: string }) => u.version)).toEqual(['1.1', '1.0']);
  });
});

describe('the admin API', () => {
  test('publish (201) and list, the same as the open API; 95001 for a mini program; 404 unknown app', async () => {
    await acceptTypes(w.bob, w.game.appid, [WHATS_NEW]);
    const res = await admin('POST', w.game.appid, { version: '2.0.0', phrases: ['新年活动开启'] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ appid: w.game.appid, version: '2.0.0', reminded: 1 });
    expect((await w.bob.c.inbox())[0]?.rows[1]).toEqual({ label: "What's new", value: 'New Year event' });
    const listed = await admin('GET', w.game.appid);
    expect(listed.json()).toEqual({ updates: [res.json()] });

    const bad = await admin('POST', w.game.appid, { version: '2.0.1', phrases: ['x'] });
    expect([bad.statusCode, bad.json().errcode]).toEqual([400, 91000]);
    const mp = await w.s.newApp('miniprogram');
    const refused = await admin('POST', mp.appid, { version: '1.0', phrases: ['修复bug'] });
    expect([refused.statusCode, refused.json().errcode]).toEqual([403, Errors.MINI_GAME_ONLY.code]);
    const unknown = await admin('GET', 'wx0000000000000000');
    expect([unknown.statusCode, unknown.json().errcode]).toEqual([404, Errors.APP_NOT_FOUND.code]);
  });
});
