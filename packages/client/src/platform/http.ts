/**
 * The platform's client API (`/api/…`) over fetch: JSON in and out, the signed-in session's bearer token,
 * and every failure as one PlatformError. Shared by everything in the browser that talks to the platform
 * (the shell's wx bridge, the inbox, the phone's screens).
 */

/**
 * A client-API call that did not succeed. `status` 0 is a network failure (no answer at all: `errcode` -1);
 * otherwise the HTTP status, and the body's `errcode`/`errmsg` — or, on the routes that stand in for a wx
 * API, its `errCode`/`errMsg` (kept whole in `body`).
 */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: number,
    message: string,
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'PlatformError';
  }

  /** No answer came back (offline, refused, aborted): the request may or may not have been carried out. */
  get network(): boolean {
    return this.status === 0;
  }
}

export interface PlatformHttpOptions {
  /** The Beckon server's URL; the page's origin by default. */
  server?: string;
  /** The session token (`POST /api/sessions`), if signed in. */
  token?: string | null;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * @example
 * const http = new PlatformHttp({ token });
 * const { user } = await http.request<{ user: UserView }>('GET', '/api/me');
 */
export class PlatformHttp {
  readonly server: string;
  token: string | null;

  constructor(options: PlatformHttpOptions = {}) {
    const server = options.server ?? globalThis.location?.origin;
    if (!server) throw new TypeError('PlatformHttp: the Beckon server URL is needed outside a page');
    this.server = server.replace(/\/+$/, '');
    this.token = options.token ?? null;
  }

  /** One call; resolves with the parsed JSON body (undefined for 204), rejects with a PlatformError. */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new PlatformError(0, -1, `cannot reach ${this.server}: ${(err as Error).message}`);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new PlatformError(response.status, -1, `not JSON (HTTP ${response.status})`, text);
    }
    if (response.ok) return parsed as T;
    const fields = (parsed ?? {}) as { errcode?: number; errmsg?: string; errCode?: number; errMsg?: string };
    throw new PlatformError(
      response.status,
      fields.errcode ?? fields.errCode ?? -1,
      fields.errmsg ?? fields.errMsg ?? `HTTP ${response.status}`,
      parsed,
    );
  }
}
