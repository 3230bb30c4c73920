/**
 * Issue 6 §1 in Chromium: camera and microphone toggles seen by the peer, switching a 1:1 call between video
 * and audio, devices, video quality, and the device errors (60003–60006).
 */
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { browserWorld } from './support/world.js';

const world = browserWorld();
const phone = (userID: string, on?: Browser, login = true) => world.phone(userID, login, undefined, on);
const inCall = world.inCall;

describe('camera and microphone', () => {
  test('closeCamera: the peer hears USER_VIDEO_AVAILABLE false and frames stop; openCamera brings both back', async () => {
    const { alice, bob } = await inCall();
    await alice.do('closeCamera');
    expect((await bob.next('onUserVideoAvailable')).payload).toEqual({
      userID: 'alice',
      isVideoAvailable: false,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await bob.framesOver('alice', 700)).toBeLessThanOrEqual(1);
    await alice.do('openCamera');
    expect((await bob.next('onUserVideoAvailable')).payload).toEqual({
      userID: 'alice',
      isVideoAvailable: true,
    });
    await bob.decodes('alice');
  });

  test('an audio call without views: each side plays the other’s sound (a hidden <audio>)', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    for (const p of [alice, bob]) await p.page.evaluate(() => (window.phone.autoView = false));
    await alice.do('call', { userID: 'bob', type: 1 });
    await bob.next('onInvited');
    await bob.do('accept');
    for (const [p, other] of [
      [alice, 'bob'],
      [bob, 'alice'],
    ] as const)
      await eventually(
        () => p.page.evaluate((u) => window.phone.soundPlaying(u), other),
        `${p.userID} hearing ${other}`,
      );
    // A view takes the sound over; the call's end takes it away.
    await bob.page.evaluate(() => window.phone.showRemote('alice'));
    expect(await bob.page.evaluate(() => window.phone.soundPlaying('alice'))).toBe(false);
    await alice.do('hangup');
    await bob.next('onCallEnd');
    expect(await alice.page.evaluate(() => document.querySelectorAll('audio').length)).toBe(0);
  });

  test('setMicMute: the peer hears USER_AUDIO_AVAILABLE false, then true', async () => {
    const { alice, bob } = await inCall(1);
    await alice.do('setMicMute', true);
    await bob.hearsMic('alice', true);
    await alice.do('setMicMute', false);
    await bob.hearsMic('alice', false);
  });
});

describe('switching call type (1:1)', () => {
  test('switchToAudioCall turns both cameras off; switchToVideoCall brings video back both ways', async () => {
    const { alice, bob } = await inCall();
    await alice.do('switchToAudioCall');
    expect((await bob.next('onUserVideoAvailable')).payload).toMatchObject({
      userID: 'alice',
      isVideoAvailable: false,
    });
    expect((await alice.next('onUserVideoAvailable')).payload).toMatchObject({
      userID: 'bob',
      isVideoAvailable: false,
    });
    // Already audio: switching again fails with 60001.
    expect(await bob.codeOf('switchToAudioCall')).toBe(60001);
    await bob.do('switchToVideoCall');
    expect((await alice.next('onUserVideoAvailable')).payload).toMatchObject({
      userID: 'bob',
      isVideoAvailable: true,
    });
    expect((await bob.next('onUserVideoAvailable')).payload).toMatchObject({
      userID: 'alice',
      isVideoAvailable: true,
    });
    await alice.decodes('bob');
    await bob.decodes('alice');
  });

  test('outside a 1:1 call the switches fail with 60001 / 60002', async () => {
    const alice = await phone('alice');
    expect(await alice.codeOf('switchToAudioCall')).toBe(60001);
    expect(await alice.codeOf('switchToVideoCall')).toBe(60002);
    expect((await alice.events()).filter((e) => e.name === 'onError').map((e) => e.payload.code)).toEqual([
      60001, 60002,
    ]);
  });
});

describe('devices and quality', () => {
  test('getCameras / getMicrophones list the devices; switchDevice swaps the camera without ending the call', async () => {
    const { alice, bob } = await inCall();
    const cameras = (await alice.do('getCameras')) as { deviceId: string; kind: string }[];
    const mics = (await alice.do('getMicrophones')) as { kind: string }[];
    expect(cameras.length).toBeGreaterThan(0);
    expect(cameras.every((c) => c.kind === 'videoinput')).toBe(true);
    expect(mics.every((m) => m.kind === 'audioinput')).toBe(true);
    await alice.do('switchDevice', { deviceType: 'video', deviceId: cameras.at(-1)!.deviceId });
    await bob.decodes('alice');
    expect(await alice.status()).toBe('connected');
  });

  test('setVideoQuality before the call sets the capture size (720p → 1280×720 in the local view)', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('setVideoQuality', '720p');
    await alice.do('call', { userID: 'bob', type: 2 });
    await alice.page.evaluate(() => {
      const node = document.getElementById('local')!;
      window.phone.calling.startLocalView({ userID: 'alice', videoViewDomID: node.id });
    });
    const size = await alice.page.waitForFunction(() => {
      const v = document.querySelector('#local video') as HTMLVideoElement | null;
      return v && v.videoWidth > 0 ? [v.videoWidth, v.videoHeight] : null;
    });
    expect(await size.jsonValue()).toEqual([1280, 720]);
    expect(await alice.codeOf('setVideoQuality', '4k')).toBe(6017);
    await bob.next('onInvited');
  });
});

describe('ICE servers', () => {
  test('the peer connections use the ICE servers the server hands out, TURN credentials minted per user', async () => {
    const { ctx } = world.server.server;
    ctx.config.ice = {
      servers: [{ urls: 'stun:127.0.0.1:3478' }],
      turn: { urls: ['turn:127.0.0.1:3478'], secret: 'loopback-secret', ttlSeconds: 600 },
    };
    try {
      const [alice, bob] = [await phone('alice', undefined, false), await phone('bob', undefined, false)];
      for (const p of [alice, bob]) {
        // Record what each RTCPeerConnection is configured with (the page's own constructor, observed).
        await p.page.addInitScript(() => {
          const Native = window.RTCPeerConnection;
          const seen: unknown[] = [];
          (window as never as { iceSeen: unknown[] }).iceSeen = seen;
          window.RTCPeerConnection = class extends Native {
            constructor(config?: RTCConfiguration) {
              super(config);
              seen.push(this.getConfiguration().iceServers);
            }
          } as typeof RTCPeerConnection;
        });
        await p.page.reload();
        await p.login(world.server);
      }
      await alice.do('call', { userID: 'bob', type: 2 });
      await bob.next('onInvited');
      await bob.do('accept');
      await alice.decodes('bob');
      const expiry = Math.floor(ctx.clock.now() / 1000) + 600;
      for (const p of [alice, bob]) {
        const seen = (await p.page.evaluate(() => (window as never as { iceSeen: unknown[] }).iceSeen)) as {
          urls: string[];
          username?: string;
        }[][];
        expect(seen).toHaveLength(1);
        expect(seen[0]).toEqual([
          expect.objectContaining({ urls: ['stun:127.0.0.1:3478'] }),
          expect.objectContaining({ urls: ['turn:127.0.0.1:3478'], username: `${expiry}:${p.userID}` }),
        ]);
      }
    } finally {
      ctx.config.ice = { servers: [], turn: undefined };
    }
  });
});

describe('device errors', () => {
  test('access denied: call() emits ERROR 60005 and rejects with it; nothing rings', async () => {
    const denying = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS.map((a) =>
        a === '--use-fake-ui-for-media-stream' ? '--use-fake-ui-for-media-stream=deny' : a,
      ),
    });
    try {
      const alice = await phone('alice', denying);
      const bob = await phone('bob');
      expect(await alice.codeOf('call', { userID: 'bob', type: 2 })).toBe(60005);
      expect((await alice.next('onError')).payload).toMatchObject({ code: 60005 });
      await new Promise((r) => setTimeout(r, 200));
      expect(await bob.heard('onInvited')).toBe(false);
    } finally {
      await denying.close();
    }
  });

  test('no camera or microphone at all: 60004 for a video call, 60003 for an audio call', async () => {
    const bare = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS.filter((a) => a !== '--use-fake-device-for-media-stream'),
    });
    try {
      const alice = await phone('alice', bare);
      expect(await alice.codeOf('call', { userID: 'bob', type: 2 })).toBe(60004);
      expect(await alice.codeOf('call', { userID: 'bob', type: 1 })).toBe(60003);
    } finally {
      await bare.close();
    }
  });

  test('a browser without WebRTC: 60006', async () => {
    const alice = await phone('alice');
    await alice.page.evaluate(() => {
      // As in a browser built without WebRTC.
      (window as { RTCPeerConnection?: unknown }).RTCPeerConnection = undefined;
    });
    expect(
      await alice.page.evaluate(() =>
        (window as never as { TRTCCalling: { isSupported(): boolean } }).TRTCCalling.isSupported(),
      ),
    ).toBe(false);
    expect(await alice.codeOf('call', { userID: 'bob', type: 1 })).toBe(60006);
  });
});
