// The SDK's call setup for bench/call-setup.bench.js: Beckon (built, its own process), two pages of one
// Chromium on the script-tag bundle it serves, the callee accepting on INVITED; from `call()` to the
// caller's first decoded frame of the callee's camera (getStats framesDecoded polled every 10 ms).
import { adminPost, startBeckon } from './lib.js';

/** A page logged in as `userID`, the SDK on `window.calling`; the callee accepts every invitation. */
async function phone(context, beckon, sdkAppId, userID, { autoAccept }) {
  const page = await context.newPage();
  await page.goto(`${beckon.url}/`);
  await page.addScriptTag({ url: '/sdk/trtc-calling.js' });
  const { userSig } = await adminPost(beckon, '/admin/usersig', { sdkAppId, userId: userID });
  await page.evaluate(
    async ([sdkAppId, userID, userSig, autoAccept]) => {
      const c = new TRTCCalling({ SDKAppID: sdkAppId });
      window.calling = c;
      window.ended = 0;
      if (autoAccept) c.on(TRTCCalling.EVENT.INVITED, () => c.accept());
      c.on(TRTCCalling.EVENT.CALL_END, () => window.ended++);
      await c.login({ userID, userSig });
    },
    [sdkAppId, userID, userSig, autoAccept],
  );
  return page;
}

/** `samples` timings in ms (after `warmUp` unmeasured calls), one call at a time. */
export async function sdkCallSetup({ browser, samples, warmUp }) {
  const beckon = await startBeckon();
  const context = await browser.newContext();
  try {
    const app = await adminPost(beckon, '/admin/apps', { name: 'Call setup bench', type: 'miniprogram' });
    const caller = await phone(context, beckon, app.sdkAppId, 'alice', { autoAccept: false });
    const callee = await phone(context, beckon, app.sdkAppId, 'bob', { autoAccept: true });
    const timings = [];
    for (let i = 0; i < warmUp + samples; i++) {
      const ended = await callee.evaluate(() => window.ended);
      const ms = await caller.evaluate(async () => {
        const c = window.calling;
        const start = performance.now();
        await c.call({ userID: 'bob', type: 2 });
        for (;;) {
          const report = await c.getStats('bob');
          let frames = 0;
          report?.forEach((s) => {
            if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
          });
          if (frames > 0) return performance.now() - start;
          if (performance.now() - start > 10_000) throw new Error('no remote frame within 10 s');
          await new Promise((r) => setTimeout(r, 10));
        }
      });
      if (i >= warmUp) timings.push(ms);
      await caller.evaluate(() => window.calling.hangup());
      await callee.waitForFunction((n) => window.ended > n, ended);
    }
    return timings;
  } finally {
    await context.close();
    await beckon.stop();
  }
}
