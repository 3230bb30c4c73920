import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer, CLI, eventually, operator, requestLog, type Server } from './support/built-server.js';

/** `beckon app calls`: an app's calling options, against a stopped server (data dir) and a running one. */

const { dataDir, env, beckon, beckonJson, startServer } = operator('beckon-calls-cli-');

beforeAll(buildServer, 120_000);

let server: Server | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('beckon app calls', () => {
  let appid: string;

  test('against a stopped server: shown and set in the data dir', async () => {
    ({ appid } = await beckonJson<{ appid: string }>(
      'app',
      'create',
      '--name',
      'Calls',
      '--type',
      'miniprogram',
    ));
    expect(await beckonJson('app', 'calls', appid)).toEqual({ appid, multiDevice: false });
    expect(await beckonJson('app', 'calls', appid, '--multi-device', 'on')).toEqual({
      appid,
      multiDevice: true,
    });
    const human = await beckon('app', 'calls', appid);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`appid        ${appid}\nmulti-device on (all sessions ring)\n`);
  });

  test('against a running server: through the admin API', async () => {
    server = await startServer();
    expect(await beckonJson('app', 'calls', appid)).toEqual({ appid, multiDevice: true });
    await eventually(() => requestLog(server!, 'GET', `/admin/apps/${appid}/calls`).length > 0);
    expect(await beckonJson('app', 'calls', appid, '--multi-device', 'off')).toEqual({
      appid,
      multiDevice: false,
    });
    await eventually(() => requestLog(server!, 'PUT', `/admin/apps/${appid}/calls`).length > 0);
    const human = await beckon('app', 'calls', appid);
    expect(human.stdout).toContain('multi-device off (a later login kicks the earlier)');
  });

  test('a bad value, a missing or unknown app exit 1 with a clear message', async () => {
    const bad = await beckon('app', 'calls', appid, '--multi-device', 'yes');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^beckon: app calls --multi-device must be on or off/);
    const missing = await beckon('app', 'calls');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^beckon: app calls needs an APPID/);
    const unknown = await beckon('app', 'calls', 'wx0000000000000000', '--multi-device', 'on');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^beckon: app not found: wx0000000000000000\b.*\(errcode 91003\)/);
  });

  test('the setting made through the server is in the data dir once it stops', async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    expect(await beckonJson('app', 'calls', appid)).toEqual({ appid, multiDevice: false });
  });
});

describe('beckon start with bad ICE settings', () => {
  const start = (extra: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'start'],
        { env: { ...env, ...extra }, timeout: 15_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  test('stops at once with a message naming the variable', async () => {
    const json = await start({ BECKON_ICE_SERVERS: '[{"urls": stun:example.com}]' });
    expect(json.code).toBe(1);
    expect(json.stdout).toBe('');
    expect(json.stderr).toMatch(
      /^beckon: BECKON_ICE_SERVERS must be a JSON array of \{urls, username\?, credential\?\}.*: not JSON/,
    );
    const turn = await start({ BECKON_TURN_URLS: 'turn:turn.example.com:3478' });
    expect(turn.code).toBe(1);
    expect(turn.stderr).toMatch(
      /^beckon: BECKON_TURN_URLS is set but BECKON_TURN_SECRET \(coturn static-auth-secret\) is not/,
    );
  });
});
