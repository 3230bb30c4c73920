import { describe, expect, test } from 'vitest';
import { MsgidGenerator, nextMsgid } from './msgid.js';

const TWO_53 = 2n ** 53n;
const TWO_63 = 2n ** 63n;

describe('msgid', () => {
  test('above 2^53 and below 2^63', () => {
    for (let i = 0; i < 1000; i++) {
      const id = nextMsgid();
      expect(id > TWO_53).toBe(true);
      expect(id < TWO_63).toBe(true);
    }
  });

  test('100,000 ids in a tight loop: strictly increasing, so all unique', () => {
    const ids: bigint[] = [];
    for (let i = 0; i < 100_000; i++) ids.push(nextMsgid());
    for (let i = 1; i < ids.length; i++)
      if (!(ids[i]! > ids[i - 1]!)) throw new Error(`not increasing at ${i}`);
    expect(new Set(ids).size).toBe(100_000);
  });

  test('the layout: time << 22 | node << 12 | sequence', () => {
    const ms = Date.UTC(2026, 0, 1);
    const g = new MsgidGenerator(5, () => ms);
    const elapsed = BigInt(ms - Date.UTC(2020, 0, 1));
    expect(g.next()).toBe((elapsed << 22n) | (5n << 12n) | 0n);
    expect(g.next()).toBe((elapsed << 22n) | (5n << 12n) | 1n);
  });

  test('a stopped clock: 4096 ids in its millisecond, then the next one is borrowed', () => {
    const ms = Date.UTC(2026, 0, 1);
    const g = new MsgidGenerator(1023, () => ms);
    const ids = Array.from({ length: 4097 }, () => g.next());
    const elapsed = BigInt(ms - Date.UTC(2020, 0, 1));
    expect(ids[4095]! >> 22n).toBe(elapsed);
    expect(ids[4095]! & 0xfffn).toBe(4095n);
    expect(ids[4096]! >> 22n).toBe(elapsed + 1n);
    expect(ids[4096]! & 0xfffn).toBe(0n);
    expect(g.next() > ids[4096]!).toBe(true);
  });

  test('a clock stepping back never makes ids go back', () => {
    let ms = Date.UTC(2026, 0, 1);
    const g = new MsgidGenerator(7, () => ms);
    const first = g.next();
    ms -= 60_000;
    const second = g.next();
    expect(second > first).toBe(true);
  });

  test('a clock before 2020 still gives ids above 2^53', () => {
    const g = new MsgidGenerator(0, () => 0);
    expect(g.next() > TWO_53).toBe(true);
  });

  test('generators with different node ids never collide in the same millisecond', () => {
    const ms = Date.UTC(2026, 5, 1);
    const a = new MsgidGenerator(1, () => ms);
    const b = new MsgidGenerator(2, () => ms);
    const ids = new Set<bigint>();
    for (let i = 0; i < 1000; i++) {
      ids.add(a.next());
      ids.add(b.next());
    }
    expect(ids.size).toBe(2000);
  });

  test('a node id outside 10 bits is refused', () => {
    expect(() => new MsgidGenerator(1024)).toThrow();
    expect(() => new MsgidGenerator(-1)).toThrow();
  });
});
