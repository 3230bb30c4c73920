import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { configFromEnv } from '../config.js';
import { isLoopbackHost, planDemo } from './plan.js';

describe('isLoopbackHost', () => {
  test.each([
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  test.each([
    '0.0.0.0',
    '::',
    '192.168.1.10',
    '10.0.0.1',
    '::ffff:10.0.0.1',
    'fe80::1',
    'example.com',
    'localhost.example.com',
    '128.0.0.1',
    '',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('planDemo', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const plan = (env: NodeJS.ProcessEnv, files: string[] = []) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'beckon-plan-'));
    dirs.push(dataDir);
    for (const f of files) writeFileSync(join(dataDir, f), '');
    return planDemo(configFromEnv({ BECKON_DATA_DIR: dataDir, ...env }));
  };

  test('a fresh data dir on loopback is set up; one set up earlier runs; one with a database is left alone', () => {
    expect(plan({})).toEqual({ mode: 'provision' });
    expect(plan({ BECKON_HOST: '::1' })).toEqual({ mode: 'provision' });
    expect(plan({}, ['beckon.db', 'demo.json'])).toEqual({ mode: 'run' });
    expect(plan({}, ['beckon.db'])).toEqual({ mode: 'off', reason: 'not-fresh', demoDataDir: false });
    // Only the database counts: the admin token alone does not make a data dir used.
    expect(plan({}, ['admin-token'])).toEqual({ mode: 'provision' });
  });

  test('BECKON_DEMO=0 or any non-loopback address: no demo, even on a data dir set up with one', () => {
    expect(plan({ BECKON_DEMO: '0' })).toEqual({ mode: 'off', reason: 'disabled', demoDataDir: false });
    expect(plan({ BECKON_HOST: '0.0.0.0' })).toEqual({
      mode: 'off',
      reason: 'not-loopback',
      demoDataDir: false,
    });
    expect(plan({ BECKON_HOST: '192.168.1.10' }, ['beckon.db', 'demo.json'])).toEqual({
      mode: 'off',
      reason: 'not-loopback',
      demoDataDir: true,
    });
    expect(plan({ BECKON_DEMO: '0' }, ['beckon.db', 'demo.json'])).toMatchObject({ mode: 'off' });
    // Anything but 0 leaves it on.
    expect(plan({ BECKON_DEMO: '1' })).toEqual({ mode: 'provision' });
  });
});
