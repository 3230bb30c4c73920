// The test host of @beckon/client/shell: a phone-sized box the apps' frames mount in, and every UI callback
// drawn as plain DOM (text only, never HTML), so the tests click what a person would. Each request the UI
// got is kept in `host.requests` for the tests to read.
import type { AppListing } from '@beckon/protocol';
import { PlatformHttp } from '../../src/platform/index.js';
import { Shell, type ShellUi } from '../../src/shell/index.js';

const $ = (id: string) => document.getElementById(id)!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', attrs: Record<string, string> = {}) {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Draws one dialog; `answer` resolves the UI callback. Removed on answer or when the shell withdraws it. */
function dialog<T>(
  label: string,
  signal: AbortSignal,
  draw: (box: HTMLElement, answer: (v: T) => void) => void,
) {
  return new Promise<T>((resolve) => {
    const box = el('section', '', { role: 'dialog', 'aria-label': label });
    const done = () => box.remove();
    signal.addEventListener('abort', done);
    draw(box, (value) => {
      done();
      resolve(value);
    });
    $('dialog').append(box);
  });
}

function buttons(box: HTMLElement, list: [string, () => void][]) {
  const row = el('div', '', { class: 'buttons' });
  for (const [text, onClick] of list) {
    const b = el('button', text, { type: 'button' });
    b.onclick = onClick;
    row.append(b);
  }
  box.append(row);
}

const requests: { kind: string; request: unknown }[] = [];
const keep = (kind: string, request: unknown) =>
  requests.push({ kind, request: JSON.parse(JSON.stringify(request)) });
let http: PlatformHttp;

const ui: ShellUi = {
  subscribe(request, signal) {
    keep('subscribe', request);
    return dialog('Subscribe to messages', signal, (box, answer) => {
      box.append(el('h2', request.app.name), el('p', 'wants to send you the following messages'));
      const several = request.templates.length > 1;
      const switches: HTMLInputElement[] = [];
      for (const t of request.templates) {
        const row = el('label', '');
        if (several) {
          const cb = el('input', '', { type: 'checkbox', 'data-template': t.templateId });
          cb.checked = true;
          switches.push(cb);
          row.append(cb);
        }
        row.append(el('strong', t.title));
        box.append(row);
        const keywords = el('ul', '');
        for (const k of t.keywords) keywords.append(el('li', k.name));
        box.append(keywords);
      }
      const keepRow = el('label', '');
      const keepBox = el('input', '', { type: 'checkbox', id: 'keep-choice' });
      keepRow.append(keepBox, el('span', " Always keep the above choice, don't ask again"));
      box.append(keepRow);
      const accepted = () =>
        several
          ? switches.filter((s) => s.checked).map((s) => s.dataset.template!)
          : request.templates.map((t) => t.templateId);
      buttons(box, [
        ['Cancel', () => answer({ accepted: [], keepChoice: keepBox.checked })],
        ['Allow', () => answer({ accepted: accepted(), keepChoice: keepBox.checked })],
      ]);
    });
  },
  subscribeSystem(request, signal) {
    keep('subscribeSystem', request);
    return dialog('Subscribe to system messages', signal, (box, answer) => {
      box.append(el('h2', request.app.name));
      const switches = request.types.map((type) => {
        const cb = el('input', '', { type: 'checkbox', 'data-type': type.msgType });
        cb.checked = true;
        const row = el('label', '');
        row.append(cb, el('span', ` ${type.name}`));
        box.append(row);
        return cb;
      });
      buttons(box, [
        ['Cancel', () => answer({ accepted: [] })],
        [
          'Allow',
          () => answer({ accepted: switches.filter((s) => s.checked).map((s) => s.dataset.type as never) }),
        ],
      ]);
    });
  },
  modal(request, signal) {
    keep('modal', request);
    return dialog('Modal', signal, (box, answer) => {
      box.append(el('h2', request.title), el('p', request.content));
      const input = request.editable
        ? el('input', '', { placeholder: request.placeholderText, 'aria-label': 'Text' })
        : null;
      if (input) box.append(input);
      const list: [string, () => void][] = [];
      if (request.showCancel) list.push([request.cancelText ?? 'Cancel', () => answer({ confirm: false })]);
      list.push([request.confirmText ?? 'OK', () => answer({ confirm: true, content: input?.value ?? '' })]);
      buttons(box, list);
    });
  },
  actionSheet(request, signal) {
    keep('actionSheet', request);
    return dialog('Action sheet', signal, (box, answer) => {
      if (request.alertText) box.append(el('p', request.alertText));
      buttons(box, [
        ...request.itemList.map((item, i): [string, () => void] => [item, () => answer(i)]),
        ['Cancel', () => answer(null)],
      ]);
    });
  },
  friendInteraction(request, signal) {
    keep('friendInteraction', request);
    return dialog('Friend interaction', signal, (box, answer) => {
      box.append(
        el('h2', request.app.name),
        el('p', `${request.title || 'Interact'} with ${request.friend.nickname}?`),
      );
      buttons(box, [
        ['Cancel', () => answer(false)],
        ['Confirm', () => answer(true)],
      ]);
    });
  },
  settings(request, signal) {
    keep('settings', request);
    return dialog('Settings', signal, (box, answer) => {
      box.append(el('h2', `${request.app.name}: Settings`));
      const row = el('label', '');
      const main = el('input', '', { type: 'checkbox', id: 'main-switch' });
      main.checked = true;
      row.append(main, el('span', ' Subscription messages'));
      box.append(row);
      main.onchange = () =>
        void http.request('PUT', `/api/apps/${request.app.appid}/settings`, { mainSwitch: main.checked });
      buttons(box, [['Done', () => answer()]]);
    });
  },
};

let shell: Shell;

/** What the tests call (page.evaluate): sign in, list the apps, drive the shell. */
const host = {
  requests,
  states: [] as unknown[],
  start(token: string, apps: AppListing[]) {
    http = new PlatformHttp({ token });
    shell = new Shell({ host: $('apps'), http, ui });
    shell.subscribe((state) => {
      host.states.push(state);
      const front = state.running.find((r) => r.app.appid === state.front);
      $('title').textContent = front ? front.app.name : 'Home';
    });
    $('back').onclick = () => shell.back() || shell.background();
    for (const app of apps) {
      const open = el('button', `Open ${app.name}`, { type: 'button', 'data-open': app.appid });
      open.onclick = () => shell.open(app);
      $('controls').append(open);
    }
    // A control that keeps the focus where it is (as custom UI often does): a tap on it is a tap on the shell
    // that leaves an app's frame focused.
    const still = el('div', 'Badge', { id: 'keeps-focus', role: 'note' });
    still.onmousedown = (event) => event.preventDefault();
    $('controls').append(still);
    const away = el('button', 'Notifications tab', { type: 'button', id: 'away' });
    away.onclick = () => shell.background();
    $('controls').append(away);
  },
  get shell() {
    return shell;
  },
};
(window as unknown as { host: typeof host }).host = host;
