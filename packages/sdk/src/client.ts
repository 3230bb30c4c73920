import type {
  Code2SessionResponse,
  Lang,
  MiniprogramState,
  PrivateTemplateView,
  PubTemplateKeywordsResponse,
  PubTemplateTitlesResponse,
} from '@beckon/protocol';
import { TOKEN_REFUSED_CODES, WeChatError } from './errors.js';
import { type ApiAnswer, ApiHttp, type ApiRequest, type Fetch, readMsgid } from './http.js';
import { MemoryTokenStore, type TokenStore } from './tokens/store.js';
import { TokenManager } from './tokens/token-manager.js';

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

export interface ClientOptions {
  appId: string;
  appSecret: string;
  /** `https://api.weixin.qq.com` by default; a Beckon server's URL in development and tests. */
  baseUrl?: string;
  /** Where tokens are cached; a `RedisTokenStore` to share one token between processes. */
  tokenStore?: TokenStore;
  /** `stable_token` (default) hands every caller the same token; `false` uses the classic `/cgi-bin/token`. */
  useStableToken?: boolean;
  /** Fetch a new token when less than this is left; default 300 s. */
  refreshMarginSeconds?: number;
  fetch?: Fetch;
}

/** `POST /cgi-bin/message/subscribe/send`: the body WeChat takes. */
export interface SendInput {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string | number }>;
  miniprogram_state?: MiniprogramState;
  lang?: Lang;
}

export type TemplateCategory = { id: number; name: string };
export type PubTemplateTitles = Omit<PubTemplateTitlesResponse, 'errcode' | 'errmsg'>;
export type PubTemplateKeywords = Omit<PubTemplateKeywordsResponse, 'errcode' | 'errmsg'>;

export interface WeChatClient {
  readonly appId: string;
  /**
   * The current access token (cached; fetched only when due, one fetch at a time).
   * @example const token = await client.getAccessToken();
   */
  getAccessToken(): Promise<string>;
  /**
   * Any access-token API not wrapped here, with the same token handling (one retry on 40001/42001);
   * `access_token` is added to the query. Resolves to the parsed JSON and the raw text.
   * @example const { json } = await client.call({ method: 'POST', path: '/wxa/business/getuserphonenumber', body: { code } });
   */
  call(req: ApiRequest): Promise<ApiAnswer>;
  subscribe: {
    /**
     * Sends a subscribe message; resolves to the exact msgid (a bigint: it exceeds 2^53).
     * @example const msgid = await client.subscribe.send({ touser: openid, template_id, data: { thing1: { value: '已发货' } } });
     */
    send(input: SendInput): Promise<bigint>;
  };
  templates: {
    /**
     * The app's private templates (`gettemplate`).
     * @example for (const t of await client.templates.list()) console.log(t.priTmplId, t.title);
     */
    list(): Promise<PrivateTemplateView[]>;
    /**
     * Adds a library title as a private template (`addtemplate`); resolves to its priTmplId.
     * @example const id = await client.templates.add({ tid: 1101, kidList: [1, 2, 3], sceneDesc: '发货通知' });
     */
    add(input: { tid: number; kidList: number[]; sceneDesc?: string }): Promise<string>;
    /**
     * Deletes a private template (`deltemplate`).
     * @example await client.templates.delete(priTmplId);
     */
    delete(priTmplId: string): Promise<void>;
    /**
     * The library's categories (`getcategory`).
     * @example const categories = await client.templates.getCategory(); // [{ id: 307, name: '快递物流' }, …]
     */
    getCategory(): Promise<TemplateCategory[]>;
    /**
     * Library titles in some categories (`getpubtemplatetitles`), one page; `count` counts them all.
     * @example const { count, data } = await client.templates.getPubTitles({ ids: [307], start: 0, limit: 30 });
     */
    getPubTitles(input: {
      ids: number[] | string;
      start?: number;
      limit?: number;
    }): Promise<PubTemplateTitles>;
    /**
     * The keywords of a library title (`getpubtemplatekeywords`).
     * @example const { data } = await client.templates.getPubKeywords(1101); // [{ kid, name, example, rule }, …]
     */
    getPubKeywords(tid: number): Promise<PubTemplateKeywords>;
  };
  auth: {
    /**
     * Exchanges a `wx.login` code for the user's openid and session_key (`jscode2session`; no access token).
     * @example const { openid, session_key } = await client.auth.code2Session(req.body.code);
     */
    code2Session(jsCode: string): Promise<Code2SessionResponse>;
  };
}

/**
 * A client for one app. The same code runs against WeChat (the default base URL) and against Beckon.
 *
 * @example
 * const client = createClient({ appId: 'wx…', appSecret: '…', baseUrl: 'http://127.0.0.1:8720' });
 * const msgid = await client.subscribe.send({ touser, template_id, data: { thing1: { value: '已发货' } } });
 */
export function createClient(options: ClientOptions): WeChatClient {
  const { appId, appSecret } = options;
  if (!appId || !appSecret) throw new TypeError('createClient: appId and appSecret are required');
  const http = new ApiHttp(options.baseUrl ?? WECHAT_API_BASE_URL, options.fetch ?? globalThis.fetch);
  const tokens = new TokenManager({
    appId,
    appSecret,
    http,
    store: options.tokenStore ?? new MemoryTokenStore(),
    useStableToken: options.useStableToken ?? true,
    ...(options.refreshMarginSeconds === undefined
      ? {}
      : { refreshMarginSeconds: options.refreshMarginSeconds }),
  });

  const withToken = (req: ApiRequest, token: string) =>
    http.request({ ...req, query: { ...req.query, access_token: token } });

  async function call(req: ApiRequest): Promise<ApiAnswer> {
    const token = await tokens.get();
    try {
      return await withToken(req, token);
    } catch (err) {
      if (!(err instanceof WeChatError) || !TOKEN_REFUSED_CODES.has(err.errcode)) throw err;
      // Once: forget this token (unless someone already replaced it), take the current one, try again. A
      // second refusal is thrown: looping (or forcing a refresh) is how token storms start.
      await tokens.invalidate(token);
      const next = await tokens.get();
      if (next === token) throw err;
      return withToken(req, next);
    }
  }

  const get = (path: string, query?: ApiRequest['query']) =>
    call({ method: 'GET', path, ...(query ? { query } : {}) });
  const post = (path: string, body: unknown) => call({ method: 'POST', path, body });

  return {
    appId,
    getAccessToken: () => tokens.get(),
    call,
    subscribe: {
      async send(input) {
        const { raw } = await post('/cgi-bin/message/subscribe/send', input);
        return readMsgid(raw);
      },
    },
    templates: {
      async list() {
        return (await get('/wxaapi/newtmpl/gettemplate')).json.data as PrivateTemplateView[];
      },
      async add({ tid, kidList, sceneDesc }) {
        const { json } = await post('/wxaapi/newtmpl/addtemplate', { tid, kidList, sceneDesc });
        return json.priTmplId as string;
      },
      async delete(priTmplId) {
        await post('/wxaapi/newtmpl/deltemplate', { priTmplId });
      },
      async getCategory() {
        return (await get('/wxaapi/newtmpl/getcategory')).json.data as TemplateCategory[];
      },
      async getPubTitles({ ids, start = 0, limit = 30 }) {
        const { json } = await get('/wxaapi/newtmpl/getpubtemplatetitles', {
          ids: Array.isArray(ids) ? ids.join(',') : ids,
          start,
          limit,
        });
        return { count: json.count, data: json.data } as PubTemplateTitles;
      },
      async getPubKeywords(tid) {
        const { json } = await get('/wxaapi/newtmpl/getpubtemplatekeywords', { tid });
        return { count: json.count, data: json.data } as PubTemplateKeywords;
      },
    },
    auth: {
      async code2Session(jsCode) {
        // Credentials in the query and no access token (spec §1.2).
        const { json } = await http.request({
          method: 'GET',
          path: '/sns/jscode2session',
          query: { appid: appId, secret: appSecret, js_code: jsCode, grant_type: 'authorization_code' },
        });
        return json as unknown as Code2SessionResponse;
      },
    },
  };
}
