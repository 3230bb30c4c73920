import type { Browser, Page } from 'playwright-core';
import { openPages } from './browser.js';
import { eventually } from './eventually.js';
import type { BrowserTestServer } from './server.js';

export interface PhoneEvent {
  name: string;
  payload: Record<string, unknown>;
  at: number;
}

/** One user on their own page (pages/phone.html: the script-tag bundle), driven by the test. */
export class Phone {
  private taken = 0;

  constructor(
    readonly userID: string,
    readonly page: Page,
  ) {}

  /** A page for `userID`, logged in unless told; `via`: the server URL the SDK connects to (a proxy). */
  static async open(
    browser: Browser,
    server: BrowserTestServer,
    userID: string,
    login = true,
    via?: string,
  ): Promise<Phone> {
    const [page] = await openPages(browser, 1, server.page('phone.html'));
    const phone = new Phone(userID, page!);
    if (login) await phone.login(server, via);
    return phone;
  }

  async login(server: BrowserTestServer, via?: string): Promise<void> {
    const userSig = await server.userSig(this.userID);
    await this.page.evaluate(([sdkAppId, userID, sig, v]) => window.phone.login(sdkAppId, userID, sig, v), [
      server.sdkAppId,
      this.userID,
      userSig,
      via,
    ] as const);
  }

  /** Runs a TRTCCalling method on the page: `phone.do('call', {userID: 'bob', type: 2})`. */
  do(method: string, ...args: unknown[]): Promise<unknown> {
    return this.page.evaluate(
      ([m, a]) => (window.phone.calling as never as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
      [method, args] as const,
    );
  }

  /** The code a method rejected with (0 when it resolved). */
  async codeOf(method: string, ...args: unknown[]): Promise<number> {
    return this.page.evaluate(
      async ([m, a]) => {
        try {
          await (window.phone.calling as never as Record<string, (...x: unknown[]) => unknown>)[m]!(...a);
          return 0;
        } catch (err) {
          return (err as { code?: number }).code ?? -1;
        }
      },
      [method, args] as const,
    );
  }

  status(): Promise<string> {
    return this.page.evaluate(() => window.phone.calling.getCallStatus());
  }

  events(): Promise<PhoneEvent[]> {
    return this.page.evaluate(() => window.phone.events);
  }

  /** The next event of this name not yet taken (in order), waiting for it. */
  async next(name: string, ms = 10_000): Promise<PhoneEvent> {
    return eventually(
      async () => {
        const all = await this.events();
        const i = all.findIndex((e, k) => k >= this.taken && e.name === name);
        if (i < 0) return undefined;
        this.taken = i + 1;
        return all[i];
      },
      `${this.userID}: ${name}`,
      ms,
    );
  }

  /** Whether an event of this name was emitted at all. */
  async heard(name: string): Promise<boolean> {
    return (await this.events()).some((e) => e.name === name);
  }

  framesDecoded(from: string): Promise<number> {
    return this.page.evaluate((u) => window.phone.framesDecoded(u), from);
  }

  /**
   * Waits until video from `from` is being decoded: frames counted, then rising by a few more. A call's
   * first frames can pause while the encoder ramps up on a loaded machine (CI saw 5 frames, then none for
   * half a second), so the rise may take up to 5 s; frames that really stopped still fail.
   */
  async decodes(from: string): Promise<void> {
    const first = await eventually(async () => {
      const n = await this.framesDecoded(from);
      return n > 0 ? n : undefined;
    }, `${this.userID} decoding ${from}`);
    let later = first;
    const rising = async () => {
      later = await this.framesDecoded(from);
      return later >= first + 3;
    };
    await eventually(rising, `frames from ${from}`, 5_000).catch(() => {
      throw new Error(`${this.userID}: frames from ${from} stopped at ${later}`);
    });
  }

  /** Hears `from` mute (true) or unmute the microphone: USER_AUDIO_AVAILABLE with the opposite. */
  async hearsMic(from: string, muted: boolean): Promise<void> {
    const { payload } = await this.next('onUserAudioAvailable');
    if (payload.userID !== from || payload.isAudioAvailable !== !muted)
      throw new Error(
        `${this.userID}: expected ${from} ${muted ? 'muted' : 'unmuted'}, heard ${JSON.stringify(payload)}`,
      );
  }

  /** Frames decoded from `from` over `ms` (0 when nothing arrives). */
  async framesOver(from: string, ms: number): Promise<number> {
    const before = await this.framesDecoded(from);
    await new Promise((r) => setTimeout(r, ms));
    return (await this.framesDecoded(from)) - before;
  }

  close(): Promise<void> {
    return this.page.context().close();
  }
}

declare global {
  interface Window {
    phone: {
      events: PhoneEvent[];
      // biome-ignore lint/suspicious/noExplicitAny: the page's global TRTCCalling instance
      calling: any;
      login(sdkAppId: number, userID: string, userSig: string, server?: string): Promise<void>;
      framesDecoded(userID: string): Promise<number>;
      remoteVideoSize(userID: string): [number, number] | null;
      soundPlaying(userID: string): boolean;
      showRemote(userID: string): void;
      autoView?: boolean;
    };
  }
}
