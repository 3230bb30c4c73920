import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, expect, test } from 'vitest';
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
