import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Bus } from './port.js';

export interface BusConformanceOptions {
  /**
   * Let `ms` of the bus's time pass. Defaults to real sleeping, which is what a Redis adapter gets; an adapter
   * on an injected clock advances the clock of `bus` instead and runs the expiry tests in no time.
   */
  elapse?: (ms: number, bus: Bus) => Promise<void> | void;
}

/** Records what a subscriber receives and lets a test wait for it, since delivery may be asynchronous. */
class Inbox {
  readonly messages: unknown[] = [];
  readonly handler = (message: unknown): void => {
    this.messages.push(message);
  };
  async waitFor(count: number, timeoutMs = 2000): Promise<unknown[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.messages.length} of ${count} messages`);
      await sleep(2);
    }
    return this.messages;
  }
}

// Windows and lifetimes short enough for real time, with margins wide enough for a loaded machine.
const WINDOW = 200;

/**
 * The Bus contract of bus/port.ts. Every adapter runs it from bus.test.ts; `open` must give a bus that shares
 * no channels, counters or locks with earlier ones (a fresh instance, or a fresh key prefix).
 */
export function busConformance(
  name: string,
  open: () => Promise<Bus> | Bus,
  options: BusConformanceOptions = {},
): void {
  const elapse = async (ms: number, bus: Bus) => {
    await (options.elapse ? options.elapse(ms, bus) : sleep(ms));
  };

  describe(`bus conformance: ${name}`, () => {
    let current: Bus | undefined;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const bus = (): Bus => {
      if (!current) throw new Error('no bus: use it inside a test');
      return current;
    };

    describe('publish/subscribe', () => {
      test('every subscriber of the channel gets the message; other channels get nothing', async () => {
        const [a1, a2, b] = [new Inbox(), new Inbox(), new Inbox()];
        await bus().subscribe('chan-a', a1.handler);
        await bus().subscribe('chan-a', a2.handler);
        await bus().subscribe('chan-b', b.handler);
        await bus().publish('chan-a', { hello: 'a' });
        expect(await a1.waitFor(1)).toEqual([{ hello: 'a' }]);
        expect(await a2.waitFor(1)).toEqual([{ hello: 'a' }]);
        // A marker on chan-b, published after: once it arrives, anything misrouted would have too.
        await bus().publish('chan-b', 'marker');
        expect(await b.waitFor(1)).toEqual(['marker']);
        expect(a1.messages).toEqual([{ hello: 'a' }]);
      });

      test('a subscriber that throws costs neither the publisher nor the other subscribers', async () => {
        const after = new Inbox();
        await bus().subscribe('faulty', () => {
          throw new Error('subscriber bug (expected in this test)');
        });
        await bus().subscribe('faulty', after.handler);
        await expect(bus().publish('faulty', 1)).resolves.toBeUndefined();
        expect(await after.waitFor(1)).toEqual([1]);
      });

      test('publishing to a channel nobody listens to is fine', async () => {
        await expect(bus().publish('nobody-here', { x: 1 })).resolves.toBeUndefined();
      });

      test('the subscriber gets a copy: equal content, not the publisher’s object', async () => {
        const inbox = new Inbox();
        await bus().subscribe('copy', inbox.handler);
        const sent = { user: 'u1', frame: { kind: 'invite', ids: [1, 2, 3] } };
        await bus().publish('copy', sent);
        const [received] = await inbox.waitFor(1);
        expect(received).toEqual({ user: 'u1', frame: { kind: 'invite', ids: [1, 2, 3] } });
        expect(received).not.toBe(sent);
        // The publisher changing its object afterwards does not reach the subscriber.
        sent.frame.ids.push(4);
        sent.user = 'changed';
        expect(received).toEqual({ user: 'u1', frame: { kind: 'invite', ids: [1, 2, 3] } });
      });

      test('JSON-shaped messages round trip: strings, numbers, booleans, null, arrays, nesting', async () => {
        const inbox = new Inbox();
        await bus().subscribe('shapes', inbox.handler);
        const messages = [
          'text 中文',
          42,
          -1.5,
          true,
          null,
          [1, 'two', { three: 3 }],
          { a: { b: { c: [] } } },
        ];
        for (const m of messages) await bus().publish('shapes', m);
        expect(await inbox.waitFor(messages.length)).toEqual(messages);
      });

      test('messages arrive in publish order', async () => {
        const inbox = new Inbox();
        await bus().subscribe('ordered', inbox.handler);
        const sent = Array.from({ length: 100 }, (_, i) => ({ seq: i }));
        for (const m of sent) await bus().publish('ordered', m);
        expect(await inbox.waitFor(100)).toEqual(sent);
      });

      test('unsubscribe stops delivery to that subscriber only', async () => {
        const [gone, stays] = [new Inbox(), new Inbox()];
        const unsubscribe = await bus().subscribe('unsub', gone.handler);
        await bus().subscribe('unsub', stays.handler);
        await bus().publish('unsub', 1);
        await gone.waitFor(1);
        await stays.waitFor(1);
        await unsubscribe();
        await bus().publish('unsub', 2);
        expect(await stays.waitFor(2)).toEqual([1, 2]);
        expect(gone.messages).toEqual([1]);
      });

      test('the same handler on two channels is unsubscribed from one only', async () => {
        const inbox = new Inbox();
        const offX = await bus().subscribe('x', inbox.handler);
        await bus().subscribe('y', inbox.handler);
        await offX();
        await bus().publish('x', 'from x');
        await bus().publish('y', 'from y');
        expect(await inbox.waitFor(1)).toEqual(['from y']);
      });
    });

    describe('hit', () => {
      test('counts up from 1 within the window, per key', async () => {
        expect(await bus().hit('k1', 60_000)).toBe(1);
        expect(await bus().hit('k1', 60_000)).toBe(2);
        expect(await bus().hit('k1', 60_000)).toBe(3);
        expect(await bus().hit('k2', 60_000)).toBe(1);
        expect(await bus().hit('k1', 60_000)).toBe(4);
      });

      test('hits reads the count without counting, and is 0 for an unknown or ended window', async () => {
        expect(await bus().hits('r')).toBe(0);
        await bus().hit('r', WINDOW);
        await bus().hit('r', WINDOW);
        expect(await bus().hits('r')).toBe(2);
        expect(await bus().hits('r')).toBe(2);
        await elapse(WINDOW * 1.2, bus());
        expect(await bus().hits('r')).toBe(0);
        expect(await bus().hit('r', WINDOW)).toBe(1);
      });

      test('concurrent hits are all counted', async () => {
        const counts = await Promise.all(Array.from({ length: 50 }, () => bus().hit('busy', 60_000)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      });

      test('the counter starts again after the window', async () => {
        expect(await bus().hit('w', WINDOW)).toBe(1);
        expect(await bus().hit('w', WINDOW)).toBe(2);
        await elapse(WINDOW * 1.5, bus());
        expect(await bus().hit('w', WINDOW)).toBe(1);
        expect(await bus().hit('w', WINDOW)).toBe(2);
      });

      test('the window runs from the first hit: later hits do not extend it', async () => {
        expect(await bus().hit('fixed', WINDOW)).toBe(1);
        await elapse(WINDOW * 0.4, bus());
        expect(await bus().hit('fixed', WINDOW)).toBe(2);
        await elapse(WINDOW * 0.8, bus());
        // 1.2 windows after the first hit, 0.8 after the second: a fixed window has ended, a sliding one not.
        expect(await bus().hit('fixed', WINDOW)).toBe(1);
      });
    });

    describe('lock', () => {
      test('a held lock cannot be taken again; another key can', async () => {
        const owner = await bus().lock('send:o1', 60_000);
        expect(owner).toEqual(expect.any(String));
        expect(owner).not.toBe('');
        expect(await bus().lock('send:o1', 60_000)).toBeNull();
        expect(await bus().lock('send:o2', 60_000)).toEqual(expect.any(String));
      });

      test('each lock gets its own owner token', async () => {
        const owners = await Promise.all(['a', 'b', 'c', 'd'].map((k) => bus().lock(k, 60_000)));
        expect(new Set(owners).size).toBe(4);
      });

      test('concurrent lock calls: exactly one wins', async () => {
        const owners = await Promise.all(Array.from({ length: 20 }, () => bus().lock('contended', 60_000)));
        expect(owners.filter((o) => o !== null)).toHaveLength(1);
      });

      test('the owner unlocks and the lock can be taken again, by a new owner', async () => {
        const owner = (await bus().lock('l', 60_000))!;
        expect(await bus().unlock('l', owner)).toBe(true);
        const next = await bus().lock('l', 60_000);
        expect(next).toEqual(expect.any(String));
        expect(next).not.toBe(owner);
        // The old owner's token is spent: it cannot free the new holder's lock.
        expect(await bus().unlock('l', owner)).toBe(false);
        expect(await bus().lock('l', 60_000)).toBeNull();
      });

      test('anyone else’s unlock is refused and the lock stays held', async () => {
        const owner = (await bus().lock('mine', 60_000))!;
        expect(await bus().unlock('mine', 'not-the-owner')).toBe(false);
        expect(await bus().lock('mine', 60_000)).toBeNull();
        // An owner token of another key does not fit either.
        const otherOwner = (await bus().lock('theirs', 60_000))!;
        expect(await bus().unlock('mine', otherOwner)).toBe(false);
        expect(await bus().lock('mine', 60_000)).toBeNull();
        expect(await bus().unlock('mine', owner)).toBe(true);
      });

      test('unlocking a key nobody holds returns false', async () => {
        expect(await bus().unlock('never-locked', 'whatever')).toBe(false);
      });

      test('a lock frees itself after its ttl', async () => {
        const owner = (await bus().lock('ttl', WINDOW))!;
        expect(await bus().lock('ttl', WINDOW)).toBeNull();
        await elapse(WINDOW * 1.5, bus());
        const next = await bus().lock('ttl', 60_000);
        expect(next).toEqual(expect.any(String));
        expect(next).not.toBe(owner);
        // The expired owner cannot free the new holder's lock.
        expect(await bus().unlock('ttl', owner)).toBe(false);
        expect(await bus().lock('ttl', 60_000)).toBeNull();
      });

      test('an expired lock cannot be unlocked by its old owner', async () => {
        const owner = (await bus().lock('gone', WINDOW))!;
        await elapse(WINDOW * 1.5, bus());
        expect(await bus().unlock('gone', owner)).toBe(false);
      });
    });

    describe('close', () => {
      test('close resolves and delivers nothing more to earlier subscribers', async () => {
        const own = await open();
        const inbox = new Inbox();
        await own.subscribe('closing', inbox.handler);
        await own.publish('closing', 'before');
        await inbox.waitFor(1);
        await expect(own.close()).resolves.toBeUndefined();
        // Publishing on a closed bus may reject or be ignored; it must not reach the old subscriber.
        await own.publish('closing', 'after').catch(() => {});
        await sleep(50);
        expect(inbox.messages).toEqual(['before']);
      });
    });
  });
}
