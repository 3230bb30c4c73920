import { rmSync } from 'node:fs';
import type { GameUpdateView } from '@beckon/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer, call, eventually, operator, requestLog, type Server } from './support/built-server.js';

/** `beckon game publish|updates`: a mini game's updates, against a stopped server (data dir) and a running one. */

const { dataDir, beckon, beckonJson, startServer } = operator('beckon-games-cli-');

beforeAll(buildServer, 120_000);

let server: Server | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('beckon game', () => {
  let appid: string;

  test('against a stopped server: published into the data dir and listed', async () => {
    ({ appid } = await beckonJson<{ appid: string }>(
      'app',
      'create',
      '--name',
      'Tiles',
      '--type',
      'minigame',
    ));
    const update = await beckonJson<GameUpdateView>(
      'game',
      'publish',
      appid,
      '--version',
      '1.4.0',
      '--phrase',
      '新增关卡',
      '--phrase',
      '修复bug',
    );
    expect(update).toMatchObject({ appid, version: '1.4.0', phrases: ['新增关卡', '修复bug'], reminded: 0 });
    expect(await beckonJson('game', 'updates', appid)).toEqual([update]);
    const human = await beckon('game', 'updates', appid);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(
      `${update.publishedAt}  1.4.0         reminded 0       新增关卡 (New levels), 修复bug (Bug fixes)\n`,
    );
  });

  test('against a running server: through the admin API, reminding a subscribed player', async () => {
    server = await startServer();
    const credentials = { username: 'player1', password: 'correct horse battery' };
    expect((await call(server, 'POST', '/api/accounts', { body: credentials })).status).toBe(201);
    const session = (await call(server, 'POST', '/api/sessions', { body: credentials })).json.token as string;
    const types = ['SYS_MSG_TYPE_WHATS_NEW'];
    const answer = await call(server, 'POST', `/api/apps/${appid}/system-subscriptions`, {
      bearer: session,
      body: { msgTypeList: types, accepted: types },
    });
    expect(answer.json).toEqual({
      errMsg: 'requestSubscribeSystemMessage:ok',
      SYS_MSG_TYPE_WHATS_NEW: 'accept',
    });

    const human = await beckon('game', 'publish', appid, '--version', '1.5.0', '--phrase', '开启新赛季');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^published 1\\.5\\.0 of ${appid} \\(server http://127\\.0\\.0\\.1:\\d+\\)\n`),
    );
    expect(human.stdout).toContain('reminded 1 ');
    await eventually(() => requestLog(server!, 'POST', `/admin/apps/${appid}/game-updates`).length > 0);
    const inbox = await call(server, 'GET', '/api/inbox', { bearer: session });
    expect(inbox.json.cards.map((c: { title: string; rows: unknown[] }) => [c.title, c.rows[2]])).toEqual([
      ['Game update', { label: 'Version', value: '1.5.0' }],
    ]);
    expect((await beckonJson<GameUpdateView[]>('game', 'updates', appid)).map((u) => u.version)).toEqual([
      '1.5.0',
      '1.4.0',
    ]);
  });

  test('bad input, a mini program, a missing or unknown app exit 1 with a clear message', async () => {
    const noPhrase = await beckon('game', 'publish', appid, '--version', '2.0');
    expect([noPhrase.code, noPhrase.stdout]).toEqual([1, '']);
    expect(noPhrase.stderr).toMatch(/^beckon: game publish needs --phrase PHRASE \(1 to 3 of: 优化性能 /);
    const bad = await beckon('game', 'publish', appid, '--version', '2.0', '--phrase', 'New levels');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^beckon: invalid request: phrases must be 1 to 3 different phrases of: .*\(errcode 91000\)/,
    );
    const again = await beckon('game', 'publish', appid, '--version', '1.5.0', '--phrase', '修复bug');
    expect(again.stderr).toMatch(/version 1\.5\.0 is already published/);
    const { appid: mp } = await beckonJson<{ appid: string }>(
      'app',
      'create',
      '--name',
      'Shop',
      '--type',
      'miniprogram',
    );
    const refused = await beckon('game', 'updates', mp);
    expect(refused.stderr).toMatch(/^beckon: only mini games have this API.*\(errcode 95001\)/);
    const missing = await beckon('game', 'updates');
    expect(missing.stderr).toMatch(/^beckon: game updates needs an APPID/);
    const unknown = await beckon('game', 'updates', 'wx0000000000000000');
    expect(unknown.stderr).toMatch(/^beckon: app not found: wx0000000000000000/);
  });

  test('stopped again, the data dir has what the server published', async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    const stopped = await beckon('game', 'publish', appid, '--version', '1.5.0', '--phrase', '修复bug');
    expect([stopped.code, stopped.stderr]).toEqual([
      1,
      'beckon: invalid request: version 1.5.0 is already published\n',
    ]);
    expect((await beckonJson<GameUpdateView[]>('game', 'updates', appid)).map((u) => u.reminded)).toEqual([
      1, 0,
    ]);
  });
});
