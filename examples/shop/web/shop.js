/**
 * What every page of the shop shares: its backend's API (same origin), `wx` calls as promises, the user's
 * openid, and building elements. Text always goes in as text (`textContent`), never as HTML.
 */

/** The front end's root (this file's folder): the backend's routes and the pages' files hang off it. */
export const BASE = new URL('./', import.meta.url);

/**
 * An element: `h('button', { class: 'primary', onclick }, 'Order')`. Props starting with `on` are listeners,
 * `class` and the rest attributes; children are elements or text (null and false are left out).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return el;
}

/** The shop backend's answer to `path`, parsed; its `{error}` thrown as an Error. */
export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(new URL(path, BASE), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `${method} ${path}: HTTP ${res.status}`);
  return json;
}

/** The platform's `wx` (the global `<BECKON_URL>/sdk/wx.js` defines), or undefined when it did not load. */
const wxApi = () => (typeof wx === 'object' ? wx : undefined);

/** Whether the page runs inside Beckon's phone, where `wx` answers. */
export const inPhone = () => wxApi() !== undefined && window.parent !== window;

/**
 * `wx[name](args)` as a promise: resolves with `success`'s argument, rejects with `fail`'s (`{errMsg,
 * errCode?}`). The call is made at once, so a call started in a tap's handler is made in that tap.
 */
export function wxCall(name, args = {}) {
  return new Promise((resolve, reject) => {
    if (!inPhone()) {
      reject({ errMsg: `${name}:fail not in Beckon's phone` });
      return;
    }
    wxApi()[name]({ ...args, success: resolve, fail: reject });
  });
}

/** `wx.getLaunchOptionsSync()`: how the app was opened (path, query, scene), or undefined outside the phone. */
export function launchOptions() {
  try {
    return inPhone() ? wxApi().getLaunchOptionsSync() : undefined;
  } catch {
    return undefined;
  }
}

/** `wx.login`, then the shop's `/login` (which calls `code2Session`): the user's openid for this shop. */
export async function signIn() {
  const { code } = await wxCall('login');
  const { openid } = await api('login', { method: 'POST', body: { code } });
  return openid;
}

/** Goes to another page of the shop (`/pages/order/detail?id=…`) in the phone's page stack. */
export const openPage = (url) => wxCall('navigateTo', { url }).catch((err) => showProblem(err));

/** Back to the page below, or, when this page is the first (opened from a card), to the shop's home. */
export const goBack = () =>
  wxCall('navigateBack').catch(() => wxCall('redirectTo', { url: '/pages/index/index' }).catch(showProblem));

/** `¥199.00` from fen. */
export const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;

/** A time of day, as the user's browser writes it. */
export const clock = (ms) => new Date(ms).toLocaleTimeString();

/** How long `ms` is, for people: `3 s`, `1 min 30 s`. */
export function duration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
}

/** The page's message line (`#problem`): what went wrong, as text; `showProblem()` with nothing clears it. */
export function showProblem(err) {
  const line = document.getElementById('problem');
  if (!line) return;
  const text = err === undefined ? '' : (err?.errMsg ?? err?.message ?? String(err));
  line.textContent = text;
  line.hidden = text === '';
}

/**
 * Runs the page's `start(openid)` once the user is known; outside the phone (the page opened on its own),
 * says where to open it instead.
 */
export async function startPage(start) {
  if (!inPhone()) {
    document
      .getElementById('page')
      ?.replaceChildren(
        h(
          'p',
          { class: 'notice' },
          "This is a mini program's page: open Demo Shop from Beckon's phone (the platform's web app), ",
          'where wx.login and the subscribe dialog work.',
        ),
      );
    return;
  }
  try {
    await start(await signIn());
  } catch (err) {
    showProblem(err);
  }
}
