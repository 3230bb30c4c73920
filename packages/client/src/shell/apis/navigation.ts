import { MAX_PAGE_STACK, pageNotFound, parsePageUrl, WX_FAIL, wxOk } from '@beckon/protocol';
import type { ShellPage } from '../state.js';
import type { Call, WxResult } from './call.js';
import { failure } from './fail.js';

/**
 * The page a navigateTo/redirectTo `url` names, relative to the calling page: one of the app's declared
 * pages when it declares some, always on its front end's origin. A mini game has one page.
 */
function target({ api, args, app, frame }: Call): ShellPage {
  if (app.app.type === 'minigame') throw failure(api, 'a mini game has one page');
  const url = args.url;
  if (typeof url !== 'string' || url === '')
    throw failure(api, 'parameter error: parameter.url should be a non-empty String');
  const page = parsePageUrl(url, frame.page.path);
  const declared = app.app.pages;
  if (declared.length > 0 && !declared.includes(page.path)) throw failure(api, pageNotFound(page.path));
  if (new URL(page.path, app.app.frontend!).origin !== app.origin)
    throw failure(api, pageNotFound(page.path));
  return page;
}

/** `wx.navigateTo`: a new page on top of the stack, at most MAX_PAGE_STACK. */
export async function navigateTo(call: Call): Promise<WxResult> {
  const page = target(call);
  if (call.app.pages.length >= MAX_PAGE_STACK) throw failure(call.api, WX_FAIL.PAGE_STACK_FULL);
  call.app.push(page);
  call.shell.changed();
  return { errMsg: wxOk(call.api) };
}

/** `wx.redirectTo`: the page on top is replaced. */
export async function redirectTo(call: Call): Promise<WxResult> {
  const page = target(call);
  call.app.replaceTop(page);
  call.shell.changed();
  return { errMsg: wxOk(call.api) };
}

/** `wx.navigateBack({delta = 1})`: back `delta` pages, or to the first when there are fewer. */
export async function navigateBack(call: Call): Promise<WxResult> {
  const { api, args, app } = call;
  if (app.pages.length <= 1) throw failure(api, WX_FAIL.NAVIGATE_BACK_FIRST_PAGE);
  const delta = typeof args.delta === 'number' && args.delta >= 1 ? Math.floor(args.delta) : 1;
  app.pop(delta);
  call.shell.changed();
  return { errMsg: wxOk(api) };
}
