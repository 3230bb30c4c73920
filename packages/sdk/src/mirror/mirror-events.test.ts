import type { SubscribeEvent } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { WeChatError } from '../errors.js';
import { createLedgerMirror } from './mirror.js';
import type { LedgerStore } from './store.js';
import {
  event,
  nowSeconds,
  platformCount,
  type Recipient,
  sendTo,
  setItem,
  shippedData,
  signUpRecipient,
  storeKinds,
  subscribe,
  usePlatform,
} from './test-support/platform.js';

// What the mirror learns besides its own sends: the client's reports and the platform's pushed events.

describe.each(storeKinds())('ledger mirror ($name store): reports and pushed events', (kind) => {
  const p = usePlatform(kind);
  const popup = (user: Recipient, templateIds: string[], at: number) =>
    event(
      p,
      user,
      {
        Event: 'subscribe_msg_popup_event',
        List: templateIds.map((TemplateId) => ({
          TemplateId,
          SubscribeStatusString: 'accept',
          PopupScene: '0',
        })),
      },
      at,
    ) as SubscribeEvent;
  const change = (user: Recipient, at?: number) =>
    event(
      p,
      user,
      {
        Event: 'subscribe_msg_change_event',
        List: [{ TemplateId: p.tmpl, SubscribeStatusString: 'reject' }],
      },
      at,
    ) as SubscribeEvent;

  test('popup events: paired with the client’s report of the same accept, a redelivery changes nothing', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    // Accept 1: the client reports it and the platform pushes it.
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    expect(await p.mirror.applyEvent(popup(alice, [p.tmpl], 1_700_000_001))).toBe('applied');
    expect(await p.mirror.applyEvent(popup(alice, [p.tmpl], 1_700_000_001))).toBe('duplicate');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    // Accept 2: the client never reports; the event alone counts (pushed first, reported later: same).
    await subscribe(p, alice, [p.tmpl], [p.tmpl]);
    expect(await p.mirror.applyEvent(popup(alice, [p.tmpl], 1_700_000_002))).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(2);
    // Accept 3: the event arrives before the client's report.
    const result = await subscribe(p, alice, [p.tmpl], [p.tmpl]);
    await p.mirror.applyEvent(popup(alice, [p.tmpl], 1_700_000_003));
    await p.mirror.reportAccepted(alice.openid, result);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(3);
    // A popup reject takes no earlier grant away, on the platform as in the mirror.
    await subscribe(p, alice, [p.tmpl], []);
    const reject = event(p, alice, {
      Event: 'subscribe_msg_popup_event',
      List: [{ TemplateId: p.tmpl, SubscribeStatusString: 'reject', PopupScene: '0' }],
    });
    expect(await p.mirror.applyEvent(reject)).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(3);
    expect(await platformCount(p, alice)).toBe(3);
  });

  test('a popup event whose applying fails is applied by its redelivery, each accept in it once', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    const other = await p.client.templates.add({ tid: 1302, kidList: [1, 2, 3, 4], sceneDesc: 'booking' });
    await subscribe(p, alice, [p.tmpl, other], [p.tmpl, other]);
    const pushed = popup(alice, [p.tmpl, other], nowSeconds());

    // The template list cannot be fetched: the receiver answers with an error and the platform retries.
    p.failLists = 1;
    await expect(p.mirror.applyEvent(pushed)).rejects.toThrow(WeChatError);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);
    expect(await p.mirror.applyEvent(pushed)).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await p.mirror.count(alice.openid, other)).toBe(1);

    // The store fails half-way through an event (the second accept), then while marking it seen.
    await subscribe(p, alice, [p.tmpl, other], [p.tmpl, other]);
    const second = popup(alice, [p.tmpl, other], nowSeconds() + 1);
    const flaky = failing(p.store, { accept: 2, markSeen: 1 });
    const mirror = createLedgerMirror({ client: p.client, store: flaky });
    await expect(mirror.applyEvent(second)).rejects.toThrow(/store down: accept/);
    expect(await mirror.count(alice.openid, p.tmpl)).toBe(2); // the first accept went in
    await expect(mirror.applyEvent(second)).rejects.toThrow(/store down: markSeen/);
    expect(await mirror.applyEvent(second)).toBe('applied');
    expect(await mirror.applyEvent(second)).toBe('duplicate');
    expect(await mirror.count(alice.openid, p.tmpl)).toBe(2);
    expect(await mirror.count(alice.openid, other)).toBe(2);
  });

  test('reportAccepted counts only the app’s templates, fetching the list again at most once per report', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    const result = await subscribe(p, alice, [p.tmpl], [p.tmpl]);
    const forged = { ...result, forged1: 'accept', forged2: 'accept', forged3: 'acceptWithAudio' };
    expect(await p.mirror.reportAccepted(alice.openid, forged)).toEqual({
      accepted: [p.tmpl],
      ignored: ['forged1', 'forged2', 'forged3'],
    });
    expect(p.listFetches).toBe(2); // the first fetch, and one more for the unknown ids
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await p.mirror.count(alice.openid, 'forged1')).toBe(0);
    // A report of known templates only uses the cached list.
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    expect(p.listFetches).toBe(2);
    // A template added since the list was cached is found by that one refetch.
    const added = await p.client.templates.add({ tid: 1302, kidList: [1, 2, 3, 4], sceneDesc: 'booking' });
    const both = await subscribe(p, alice, [p.tmpl, added], [added]);
    expect(await p.mirror.reportAccepted(alice.openid, both)).toEqual({ accepted: [added], ignored: [] });
    expect(p.listFetches).toBe(3);
    expect(await p.mirror.count(alice.openid, added)).toBe(1);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(2);
    expect(await platformCount(p, alice)).toBe(2);
  });

  test('sent events confirm a spend once: the mirror’s own sends and sends made without it', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    for (let i = 0; i < 3; i++)
      await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    const sent = (msgid: bigint) =>
      event(p, alice, {
        Event: 'subscribe_msg_sent_event',
        List: [{ TemplateId: p.tmpl, MsgID: msgid.toString(), ErrorCode: '0', ErrorStatus: 'success' }],
      });

    const own = await sendTo(p, alice);
    expect(await p.mirror.applyEvent(sent(own))).toBe('duplicate'); // the answer already spent it
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(2);

    // Another service sends without the mirror: only its event tells.
    const other = await p.client.subscribe.send({
      touser: alice.openid,
      template_id: p.tmpl,
      data: shippedData() as never,
    });
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(2);
    expect(await p.mirror.applyEvent(sent(other))).toBe('applied');
    expect(await p.mirror.applyEvent(sent(other))).toBe('duplicate'); // at-least-once delivery
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await platformCount(p, alice)).toBe(1);

    // A failed delivery confirms nothing.
    const failed = event(p, alice, {
      Event: 'subscribe_msg_sent_event',
      List: [{ TemplateId: p.tmpl, MsgID: '99', ErrorCode: '10001', ErrorStatus: 'failed:system failed' }],
    });
    expect(await p.mirror.applyEvent(failed)).toBe('ignored');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
  });

  test('change events zero the template; a redelivered old change does not undo a later accept', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    for (let i = 0; i < 2; i++)
      await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    await setItem(p, alice, p.tmpl, 'reject');
    const off = change(alice);
    expect(await p.mirror.applyEvent(off)).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);

    // Turned back on and accepted again (the settings page remembers the choice: this request is silent).
    await setItem(p, alice, p.tmpl, 'accept');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    expect(await p.mirror.applyEvent(off)).toBe('duplicate');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await platformCount(p, alice)).toBe(1);

    // The client finds the main switch off: every template of the app goes to zero.
    await p.mirror.reportRefused(alice.openid, 'all');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);
    // Call events are not the mirror's.
    expect(await p.mirror.applyEvent({ Event: 'call_invited_event' })).toBe('ignored');
  });

  test('a change event arriving after a later accept (push retries) is stale: the accept and its popup stay', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    await p.mirror.applyEvent(popup(alice, [p.tmpl], nowSeconds() - 10));
    await sendTo(p, alice);
    // t0: the user turns the template off; the change event's first deliveries fail.
    const t0 = nowSeconds() - 2;
    await setItem(p, alice, p.tmpl, 'reject');
    // t1: turned on and accepted again; the client reports it at once.
    await setItem(p, alice, p.tmpl, 'accept');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    const t1 = nowSeconds();
    // Now the retried t0 change arrives, then the t1 popup event.
    expect(await p.mirror.applyEvent(change(alice, t0))).toBe('stale');
    expect(await p.mirror.applyEvent(popup(alice, [p.tmpl], t1))).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await platformCount(p, alice)).toBe(1);
    // A change made after the accept still applies.
    await setItem(p, alice, p.tmpl, 'reject');
    expect(await p.mirror.applyEvent(change(alice, t1 + 1))).toBe('applied');
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);
    expect(await platformCount(p, alice)).toBe(0);
  });
});

/** The store, except that the `n`th call of each named method throws (a Redis connection dropping). */
function failing(store: LedgerStore, nth: Partial<Record<keyof LedgerStore, number>>): LedgerStore {
  const calls = new Map<string, number>();
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const n = (calls.get(String(name)) ?? 0) + 1;
        calls.set(String(name), n);
        if (nth[name as keyof LedgerStore] === n)
          return Promise.reject(new Error(`store down: ${String(name)}`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
