import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterEach, expect, test } from 'vitest';
import { builtFile } from '../test-support/built.js';
import { turnBatchedLog } from './log-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'beckon-log-'));
const file = join(dir, 'log');
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  rmSync(file, { force: true });
});
const open = () => {
  const fd = openSync(file, 'a');
  fds.push(fd);
  return fd;
};
const written = () => readFileSync(file, 'utf8');

test("a turn's lines leave together when the turn ends, in order, none lost", async () => {
  const log = pino({ level: 'info' }, turnBatchedLog(open()));
  for (let i = 0; i < 50; i++) log.info({ i }, 'request');
  expect(written()).toBe('');
  await nextTurn();
  const lines = written()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => l.i)).toEqual([...Array(50).keys()]);
  log.info({ i: 50 }, 'request');
  await nextTurn();
  expect(written().trim().split('\n')).toHaveLength(51);
});

test('flushSync writes what waits at once (the exit path)', () => {
  const stream = turnBatchedLog(open());
  stream.write('{"a":1}\n');
  stream.write('{"a":2}\n');
  stream.flushSync();
  expect(written()).toBe('{"a":1}\n{"a":2}\n');
  stream.flushSync();
  expect(written()).toBe('{"a":1}\n{"a":2}\n');
});

test('at exit, waiting lines and lines logged after are written, in order (a child process)', async () => {
  const { execFileSync } = await import('node:child_process');
  // The sources are TypeScript: the child runs the built module, as the server does.
  const built = pathToFileURL(builtFile('http/log-stream.js')).href;
  const script = `
    const { turnBatchedLog } = await import(${JSON.stringify(built)});
    const a = turnBatchedLog(1), b = turnBatchedLog(1);
    process.on('exit', () => a.write('after exit\\n'));
    a.write('one\\n'); b.write('two\\n');
    process.exit(0);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(out).toBe('one\ntwo\nafter exit\n');
});
