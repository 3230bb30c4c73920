import { Errors, msgTypeListProblem, type SysMsgType, tmplIdsProblem } from '@beckon/protocol';
import { type Call, WITHDRAWN, type WxResult } from './call.js';
import { failureOf, fromPlatform } from './fail.js';
import { enter } from './gate.js';

/**
 * `wx.requestSubscribeMessage` (spec §3.3, §4.1, §4.2): the arguments (10001, 10004, 20003), the app in
 * front (10005), one request at a time, a tap in the frame; then the server's checks and the dialog
 * (`prepare`, 10002 when it cannot be reached), the user's answer in the shell's dialog, and the record
 * (10003 when it cannot be reached). A request the server settles without asking (kept choices) shows
 * nothing and is recorded all the same: a kept accept still adds a send.
 */
export async function requestSubscribeMessage(call: Call): Promise<WxResult> {
  const { api, args, app, http, shell } = call;
  const problem = tmplIdsProblem(args.tmplIds, app.app.type);
  if (problem) throw failureOf(api, problem);
  const tmplIds = args.tmplIds as string[];
  enter(call, { notInFront: failureOf(api, Errors.CANNOT_SHOW_UI), tapOnly: true });
  try {
    const dialog = await http
      .prepareSubscription(tmplIds)
      .catch((err) => Promise.reject(fromPlatform(api, err, Errors.REQUEST_LIST_FAIL)));
    let accepted: string[] = [];
    let keepChoice = false;
    if (!dialog.silent) {
      if (!shell.inFront(app)) throw failureOf(api, Errors.CANNOT_SHOW_UI);
      const templates = dialog.templates.filter((t) => t.status === 'ask');
      const answer = await shell.dialog(app, 'subscribe', { app: app.app, templates });
      if (answer === WITHDRAWN) throw failureOf(api, Errors.CANNOT_SHOW_UI);
      const asked = new Set(templates.map((t) => t.templateId));
      accepted = [...new Set(answer.accepted)].filter((id) => asked.has(id));
      keepChoice = answer.keepChoice === true;
    }
    return await http
      .subscribe({ tmplIds, accepted, keepChoice })
      .catch((err) => Promise.reject(fromPlatform(api, err, Errors.REQUEST_SUBSCRIBE_FAIL)));
  } finally {
    shell.release(app);
  }
}

/**
 * `wx.requestSubscribeSystemMessage` (mini games, spec §4.5): the same path for the platform's system
 * message types, each permanent once accepted (an accepted type is not asked again).
 */
export async function requestSubscribeSystemMessage(call: Call): Promise<WxResult> {
  const { api, args, app, http, shell } = call;
  const problem = msgTypeListProblem(args.msgTypeList);
  if (problem) throw failureOf(api, problem);
  const msgTypeList = args.msgTypeList as SysMsgType[];
  enter(call, { notInFront: failureOf(api, Errors.CANNOT_SHOW_UI), tapOnly: true });
  try {
    const dialog = await http
      .prepareSystemSubscription(msgTypeList)
      .catch((err) => Promise.reject(fromPlatform(api, err, Errors.REQUEST_LIST_FAIL)));
    let accepted: SysMsgType[] = [];
    if (!dialog.silent) {
      if (!shell.inFront(app)) throw failureOf(api, Errors.CANNOT_SHOW_UI);
      const types = dialog.types.filter((t) => t.status === 'ask');
      const answer = await shell.dialog(app, 'subscribeSystem', { app: app.app, types });
      if (answer === WITHDRAWN) throw failureOf(api, Errors.CANNOT_SHOW_UI);
      const asked = new Set(types.map((t) => t.msgType));
      accepted = [...new Set(answer.accepted)].filter((t) => asked.has(t));
    }
    return await http
      .subscribeSystem({ msgTypeList, accepted })
      .catch((err) => Promise.reject(fromPlatform(api, err, Errors.REQUEST_SUBSCRIBE_FAIL)));
  } finally {
    shell.release(app);
  }
}
