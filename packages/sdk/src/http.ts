import { WeChatError, WeChatHttpError } from './errors.js';

/** The `fetch` the client uses; Node's global one unless given (a proxy agent, a test counter…). */
export type Fetch = typeof fetch;

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Starts with `/`, appended to the base URL as is (a base URL may carry a path prefix). */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

/** A successful answer: the parsed JSON and the raw text (for the numbers JSON.parse would round). */
export interface ApiAnswer {
  json: Record<string, unknown>;
  raw: string;
}

/** The HTTP side of every API call: JSON in, JSON out, a non-zero errcode thrown as `WeChatError`. */
export class ApiHttp {
  /** The API's base URL without its trailing slash. */
  readonly base: string;

  constructor(
    baseUrl: string,
    private readonly fetchFn: Fetch,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async request(req: ApiRequest): Promise<ApiAnswer> {
    const url = new URL(this.base + req.path);
    for (const [name, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const init: RequestInit = { method: req.method };
    if (req.body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(req.body);
    }
    const res = await this.fetchFn(url, init);
    const raw = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new WeChatHttpError(res.status, raw.slice(0, 200), req.path);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new WeChatHttpError(res.status, raw.slice(0, 200), req.path);
    const body = json as Record<string, unknown>;
    // WeChat answers errors with HTTP 200; some proxies and Beckon's own codes use other statuses, so the
    // errcode decides, whatever the status.
    if (typeof body.errcode === 'number' && body.errcode !== 0)
      throw new WeChatError(body.errcode, String(body.errmsg ?? ''), req.path);
    return { json: body, raw };
  }
}

/**
 * The `msgid` of a send answer, exactly: it is a 64-bit integer above 2^53, which JSON.parse rounds, so it is
 * read from the raw text.
 */
export function readMsgid(raw: string): bigint {
  const digits = /"msgid"\s*:\s*"?(\d+)"?/.exec(raw)?.[1];
  if (digits === undefined) throw new Error(`send answer without a msgid: ${raw.slice(0, 200)}`);
  return BigInt(digits);
}
