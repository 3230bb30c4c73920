import type {
  FriendCloudStorage,
  FriendInteraction,
  SettingResult,
  SubscribeDecision,
  SubscribeDialog,
  SubscribeResult,
  SysMsgType,
  SystemSubscribeDecision,
  SystemSubscribeDialog,
  SystemSubscribeResult,
  WxLoginResponse,
} from '@beckon/protocol';
import type { PlatformHttp } from '../platform/http.js';

/** The client API's routes for one app, as the signed-in user calls them: every request the shell makes. */
export class AppApi {
  private readonly base: string;

  constructor(
    private readonly http: PlatformHttp,
    appid: string,
  ) {
    this.base = `/api/apps/${encodeURIComponent(appid)}`;
  }

  login(): Promise<WxLoginResponse> {
    return this.http.request('POST', `${this.base}/login`);
  }

  prepareSubscription(tmplIds: string[]): Promise<SubscribeDialog> {
    return this.http.request('POST', `${this.base}/subscriptions/prepare`, { tmplIds });
  }

  subscribe(decision: SubscribeDecision): Promise<SubscribeResult> {
    return this.http.request('POST', `${this.base}/subscriptions`, decision);
  }

  settings(): Promise<SettingResult> {
    return this.http.request('GET', `${this.base}/settings`);
  }

  prepareSystemSubscription(msgTypeList: SysMsgType[]): Promise<SystemSubscribeDialog> {
    return this.http.request('POST', `${this.base}/system-subscriptions/prepare`, { msgTypeList });
  }

  subscribeSystem(decision: SystemSubscribeDecision): Promise<SystemSubscribeResult> {
    return this.http.request('POST', `${this.base}/system-subscriptions`, decision);
  }

  setCloudStorage(KVDataList: unknown): Promise<unknown> {
    return this.http.request('PUT', `${this.base}/cloud-storage`, { KVDataList });
  }

  /** No keys: the players alone (the route then takes no `keyList`). */
  friendCloudStorage(keyList: string[]): Promise<FriendCloudStorage> {
    const query = keyList.length > 0 ? `?${new URLSearchParams({ keyList: keyList.join(',') })}` : '';
    return this.http.request('GET', `${this.base}/friend-cloud-storage${query}`);
  }

  interact(interaction: FriendInteraction): Promise<unknown> {
    return this.http.request('POST', `${this.base}/interactions`, interaction);
  }
}
