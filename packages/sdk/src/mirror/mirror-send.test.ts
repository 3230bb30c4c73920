import { describe, expect, test } from 'vitest';
import { addLibraryTemplate } from '../../../server/src/test-support/harness.js';
import { WeChatError } from '../errors.js';
import {
  caught,
  event,
  inboxSize,
  platformCount,
  type Recipient,
  sendTo,
  setItem,
  shippedData,
  signUpRecipient,
  storeKinds,
  subscribe,
  usePlatform,
  VISIT_TID,
} from './test-support/platform.js';

// sendWithQuota against the real platform: the counts it keeps, what it refuses locally, what it refunds.

describe.each(storeKinds())('sendWithQuota ($name store) against the platform', (kind) => {
  const p = usePlatform(kind);

  test('concurrent sends: the mirror’s counts equal the platform’s at the end, and every grant is used', async () => {
    const grants = [3, 5, 1, 0];
    const users: Recipient[] = [];
    for (const [i, n] of grants.entries()) {
      const user = await signUpRecipient(p.s, p.app, `user${i}`);
      users.push(user);
      for (let k = 0; k < n; k++)
        await p.mirror.reportAccepted(user.openid, await subscribe(p, user, [p.tmpl], [p.tmpl]));
    }
    for (const [i, user] of users.entries()) {
      expect(await p.mirror.count(user.openid, p.tmpl)).toBe(grants[i]);
      expect(await platformCount(p, user)).toBe(grants[i]);
    }

    // Each sent event is pushed (twice: at least once) before the send's answer reaches the mirror.
    let pushed = 0;
    p.beforeAnswer = async (msgid, request) => {
      const user = users.find((u) => u.openid === request.touser)!;
      const sent = event(p, user, {
        Event: 'subscribe_msg_sent_event',
        List: [{ TemplateId: request.template_id, MsgID: msgid, ErrorCode: '0', ErrorStatus: 'success' }],
      });
      await Promise.all([p.mirror.applyEvent(sent), p.mirror.applyEvent(sent)]);
      pushed++;
    };
    // 10 sends per user, all at once, over real HTTP.
    const outcomes = await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: 10 }, () =>
          sendTo(p, user).then(
            () => 'ok',
            (err: unknown) => {
              if (!(err instanceof WeChatError)) throw err;
              // A platform answer carries a rid; the mirror's own refusals do not.
              return `${err.errcode}${err.rid ? '' : ' local'}`;
            },
          ),
        ),
      ),
    );
    const tally = (o: string) => outcomes.filter((x) => x === o).length;
    // The mirror never let a send through that the platform refused for want of a grant.
    expect(tally('43101')).toBe(0);
    expect(tally('ok') + tally('43101 local') + tally('43108')).toBe(40);
    expect(pushed).toBe(tally('ok'));

    for (const user of users) {
      expect(await p.mirror.count(user.openid, p.tmpl)).toBe(await platformCount(p, user));
      expect((await p.store.get(user.openid, p.tmpl)).reserved).toBe(0);
    }
    // The platform refused some for concurrency (43108) and refunded nothing; the mirror refunded those. Send
    // one at a time until the mirror says no: every grant ends up as exactly one message.
    for (const user of users) {
      for (;;) {
        const err = await sendTo(p, user).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (err === undefined) continue;
        expect(err).toBeInstanceOf(WeChatError);
        expect((err as WeChatError).errcode).toBe(43101);
        expect((err as WeChatError).rid).toBeUndefined();
        break;
      }
    }
    for (const [i, user] of users.entries()) {
      expect(await p.mirror.count(user.openid, p.tmpl)).toBe(0);
      expect(await platformCount(p, user)).toBe(0);
      expect(await inboxSize(p, user)).toBe(grants[i]);
    }
  });

  test('data breaking a keyword rule is refused locally with the platform’s 47003, spending nothing', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    const tooLong = shippedData({ thing2: '一二三四五六七八九十一二三四五六七八九十一' }); // 21 > 20 characters

    const local = await caught(sendTo(p, alice, tooLong));
    expect(local.errcode).toBe(47003);
    expect(local.errmsg).toBe('argument invalid! data.thing2.value invalid');
    const empty = await caught(sendTo(p, alice, shippedData({ time5: '' })));
    expect(empty.errmsg).toBe('argument invalid! data.time5.value is empty');
    expect(p.platformSends).toBe(0);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);

    // The same rules as the platform's: sent directly, the platform answers the same.
    const remote = await caught(
      p.client.subscribe.send({ touser: alice.openid, template_id: p.tmpl, data: tooLong as never }),
    );
    expect(remote.errcode).toBe(47003);
    expect(remote.errmsg).toMatch(/^argument invalid! data\.thing2\.value invalid rid: /);
    expect(await platformCount(p, alice)).toBe(1);
  });

  test('no send left: 43101 locally, without calling the platform; an unknown template: 40037 locally', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    const err = await caught(sendTo(p, alice));
    expect(err.errcode).toBe(43101);
    const unknown = await caught(
      p.mirror.sendWithQuota({ touser: alice.openid, template_id: 'no-such-template', data: {} }),
    );
    expect(unknown.errcode).toBe(40037);
    expect(p.platformSends).toBe(0);
  });

  test('a 43101 from the platform sets the count to 0 and is rethrown', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    for (let i = 0; i < 2; i++)
      await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    await setItem(p, alice, p.tmpl, 'reject'); // the mirror is not told
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(2);

    const err = await caught(sendTo(p, alice));
    expect(err.errcode).toBe(43101);
    expect(err.rid).toBeDefined(); // the platform's answer
    expect(p.platformSends).toBe(1);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);
    expect(await p.store.get(alice.openid, p.tmpl)).toEqual({ count: 0, reserved: 0, active: false });
    // Now refused locally.
    await caught(sendTo(p, alice));
    expect(p.platformSends).toBe(1);
  });

  test('a failed send refunds its reservation (a platform error other than 43101)', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    // A page the platform refuses (41030) passes the local checks (the mirror knows no pages).
    const err = await caught(
      p.mirror.sendWithQuota({
        touser: alice.openid,
        template_id: p.tmpl,
        data: shippedData() as never,
        page: 'x'.repeat(1025),
      }),
    );
    expect(err.errcode).toBe(41030);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    expect(await platformCount(p, alice)).toBe(1);
  });

  test('a reset while a send is in flight: the send spends nothing of the grant accepted after the reset', async () => {
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    // The platform has spent the send; before its answer arrives, the user turns the template off (the
    // client reports it), turns it on again and accepts once more (the client reports that too).
    p.beforeAnswer = async () => {
      p.beforeAnswer = undefined;
      await setItem(p, alice, p.tmpl, 'reject');
      await p.mirror.reportRefused(alice.openid, [p.tmpl]);
      await setItem(p, alice, p.tmpl, 'accept');
      await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [p.tmpl], [p.tmpl]));
    };
    await sendTo(p, alice);
    expect(await platformCount(p, alice)).toBe(1);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(1);
    // And that grant is usable.
    await sendTo(p, alice);
    expect(await inboxSize(p, alice)).toBe(2);
    expect(await p.mirror.count(alice.openid, p.tmpl)).toBe(0);
    expect(await platformCount(p, alice)).toBe(0);
  });

  test('a long-term template: accepted once, sends until turned off', async () => {
    const visit = await addLibraryTemplate(p.s, p.app, VISIT_TID, [1, 2, 3]);
    const alice = await signUpRecipient(p.s, p.app, 'alice');
    await p.mirror.reportAccepted(alice.openid, await subscribe(p, alice, [visit], [visit]));
    expect(await p.mirror.count(alice.openid, visit)).toBe(Number.POSITIVE_INFINITY);
    const data = {
      name1: { value: '张三' },
      thing2: { value: '心血管内科' },
      time3: { value: '2019年10月1日 15:01' },
    };
    for (let i = 0; i < 3; i++)
      await p.mirror.sendWithQuota({ touser: alice.openid, template_id: visit, data });
    expect(await inboxSize(p, alice)).toBe(3);

    await setItem(p, alice, visit, 'reject');
    await p.mirror.applyEvent(
      event(p, alice, {
        Event: 'subscribe_msg_change_event',
        List: [{ TemplateId: visit, SubscribeStatusString: 'reject' }],
      }),
    );
    expect(await p.mirror.count(alice.openid, visit)).toBe(0);
    expect(
      (await caught(p.mirror.sendWithQuota({ touser: alice.openid, template_id: visit, data }))).errcode,
    ).toBe(43101);
    expect(p.platformSends).toBe(3);
  });
});
