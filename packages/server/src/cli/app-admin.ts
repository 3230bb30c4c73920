import { existsSync, readFileSync } from 'node:fs';
import type {
  AppPatchRequest,
  AppView,
  CallSettingsView,
  GameUpdateRequest,
  GameUpdateView,
  IssuedUserSig,
  PushConfigView,
  PushDeliveryView,
  UserSigRequest,
} from '@beckon/protocol';
import { resolveAdminToken } from '../admin-token.js';
import {
  createApp,
  getApp,
  listApps,
  type NewApp,
  resetRtcKey,
  resetSecret,
  setDailySendCap,
  setPages,
  setSubscribeBanned,
  toAppView,
  updateApp,
} from '../apps/service.js';
import { issueUserSig } from '../calls/credentials.js';
import { getCallSettings, setCallSettings } from '../calls/settings.js';
import { type Config, configFromEnv } from '../config.js';
import { disablePush, getPushConfig, type PushConfigInput, setPushConfig } from '../events/config.js';
import { type PushLogQuery, pushLog } from '../events/log.js';
import { getMiniGame } from '../games/mini-game.js';
import { listUpdates, publishUpdate } from '../games/updates.js';
import { openContext } from '../runtime.js';
import { serverFile } from '../start.js';

/** What `beckon app …` does, whether the server is running (admin API) or stopped (the store itself). */
export interface AppAdmin {
  create(input: NewApp): Promise<AppView>;
  list(): Promise<AppView[]>;
  show(appid: string): Promise<AppView>;
  resetSecret(appid: string): Promise<AppView>;
  /** Name, icon and front end (a field left out is kept, null clears). */
  update(appid: string, patch: AppPatchRequest): Promise<AppView>;
  /** A new RTC secret key (userSigs signed with the old one stop working). */
  resetRtcKey(appid: string): Promise<AppView>;
  /** A development userSig for a user of the app with this SDKAppID (`beckon usersig`). */
  userSig(request: UserSigRequest): Promise<IssuedUserSig>;
  setBanned(appid: string, banned: boolean): Promise<AppView>;
  setPages(appid: string, pages: string[]): Promise<AppView>;
  /** null: back to the server's default. */
  setSendCap(appid: string, cap: number | null): Promise<AppView>;
  /** Message push: shown, set (after the URL check), switched off, and its delivery log. */
  showPush(appid: string): Promise<PushConfigView>;
  setPush(appid: string, input: PushConfigInput): Promise<PushConfigView>;
  disablePush(appid: string): Promise<PushConfigView>;
  pushLog(appid: string, query: PushLogQuery): Promise<PushDeliveryView[]>;
  /** Calling options (multi-device): shown and set. */
  showCalls(appid: string): Promise<CallSettingsView>;
  setCalls(appid: string, input: { multiDevice: boolean }): Promise<CallSettingsView>;
  /** A mini game's updates: publish a version (reminding subscribed players), list them newest first. */
  publishUpdate(appid: string, input: GameUpdateRequest): Promise<GameUpdateView>;
  updates(appid: string): Promise<GameUpdateView[]>;
  close(): Promise<void>;
  /** Where the command ran, for the human-readable output. */
  readonly via: string;
}

/** The URL of the server running on this data dir, if it is alive. */
export function runningServer(dataDir: string): string | undefined {
  const file = serverFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const { url, pid } = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number };
    process.kill(pid, 0); // throws when no such process
    return url;
  } catch {
    return undefined;
  }
}

export function directAdmin(config: Config): AppAdmin {
  const ctx = openContext(config);
  return {
    via: `data dir ${config.dataDir}`,
    create: async (input) => toAppView(await createApp(ctx, input), true),
    list: async () => (await listApps(ctx)).map((a) => toAppView(a)),
    show: async (appid) => toAppView(await getApp(ctx, appid), true),
    resetSecret: async (appid) => toAppView(await resetSecret(ctx, appid), true),
    update: async (appid, patch) => toAppView(await updateApp(ctx, appid, patch)),
    resetRtcKey: async (appid) => toAppView(await resetRtcKey(ctx, appid), true),
    userSig: (request) => issueUserSig(ctx, request),
    setBanned: async (appid, banned) => toAppView(await setSubscribeBanned(ctx, appid, banned)),
    setPages: async (appid, pages) => toAppView(await setPages(ctx, appid, pages)),
    setSendCap: async (appid, cap) => toAppView(await setDailySendCap(ctx, appid, cap)),
    showPush: (appid) => getPushConfig(ctx, appid),
    setPush: (appid, input) => setPushConfig(ctx, appid, input),
    disablePush: (appid) => disablePush(ctx, appid),
    pushLog: (appid, query) => pushLog(ctx, appid, query),
    showCalls: (appid) => getCallSettings(ctx, appid),
    setCalls: (appid, input) => setCallSettings(ctx, appid, input),
    publishUpdate: async (appid, input) => publishUpdate(ctx, await getMiniGame(ctx, appid), input),
    updates: async (appid) => listUpdates(ctx, await getMiniGame(ctx, appid)),
    close: async () => {
      await ctx.store.close();
      await ctx.bus.close();
    },
  };
}

export function httpAdmin(url: string, token: string): AppAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { errcode?: number; errmsg?: string };
    if (!res.ok) throw new Error(`${json.errmsg ?? res.statusText} (errcode ${json.errcode ?? res.status})`);
    return json;
  };
  const path = (appid: string) => `/admin/apps/${encodeURIComponent(appid)}`;
  return {
    via: `server ${url}`,
    create: (input) => call('POST', '/admin/apps', input),
    list: async () => (await call<{ apps: AppView[] }>('GET', '/admin/apps')).apps,
    show: (appid) => call('GET', path(appid)),
    resetSecret: (appid) => call('POST', `${path(appid)}/reset-secret`),
    update: (appid, patch) => call('PATCH', path(appid), patch),
    resetRtcKey: (appid) => call('POST', `${path(appid)}/reset-rtc-key`),
    userSig: (request) => call('POST', '/admin/usersig', request),
    setBanned: (appid, banned) => call('POST', `${path(appid)}/${banned ? 'ban' : 'unban'}`),
    setPages: (appid, pages) => call('PUT', `${path(appid)}/pages`, { pages }),
    setSendCap: (appid, cap) => call('PUT', `${path(appid)}/send-cap`, { dailySendCap: cap }),
    showPush: (appid) => call('GET', `${path(appid)}/push`),
    setPush: (appid, input) => call('PUT', `${path(appid)}/push`, input),
    disablePush: (appid) => call('DELETE', `${path(appid)}/push`),
    pushLog: async (appid, query) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.size ? `?${params}` : '';
      return (await call<{ deliveries: PushDeliveryView[] }>('GET', `${path(appid)}/push/deliveries${qs}`))
        .deliveries;
    },
    showCalls: (appid) => call('GET', `${path(appid)}/calls`),
    setCalls: (appid, input) => call('PUT', `${path(appid)}/calls`, input),
    publishUpdate: (appid, input) => call('POST', `${path(appid)}/game-updates`, input),
    updates: async (appid) =>
      (await call<{ updates: GameUpdateView[] }>('GET', `${path(appid)}/game-updates`)).updates,
    close: async () => {},
  };
}

/** Common options of the commands that talk to the admin API or the data dir. */
export function adminFor(values: { 'data-dir'?: string | undefined; server?: string | undefined }): AppAdmin {
  const config = configFromEnv(
    values['data-dir'] ? { ...process.env, BECKON_DATA_DIR: values['data-dir'] } : process.env,
  );
  return openAppAdmin(config, values.server);
}

/** The running server's admin API when there is one (or `--server` names one), else the data dir. */
export function openAppAdmin(config: Config, server?: string): AppAdmin {
  const url = server ?? runningServer(config.dataDir);
  if (!url) return directAdmin(config);
  return httpAdmin(url.replace(/\/+$/, ''), resolveAdminToken(config.dataDir, config.adminToken).token);
}
