import type { Frame, Page } from 'playwright-core';
import { eventually } from '../../../client/test/support/eventually.js';
import type { MiniApp, Step } from '../../../client/test/support/wx-world.js';
import type { PageResult } from './phone.js';

/**
 * Driving the test mini programs (packages/client/test/pages/mini, on support/wx-world.ts's origins) as
 * they run in the phone's runner.
 */

const onScreen = (app: MiniApp) => `[data-beckon-app="${app.appid}"] iframe:not([hidden])`;

/** The app's page on screen, once its script ran. */
export async function frameOf(page: Page, app: MiniApp): Promise<Frame> {
  const frame = await (await page.waitForSelector(onScreen(app))).contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForFunction(() => 'mini' in window && 'wx' in window);
  return frame;
}

/** Makes the page run `step` on its next tap of its button, and taps it as a person does. */
export async function tapWith(page: Page, app: MiniApp, step: Step): Promise<void> {
  const frame = await frameOf(page, app);
  await frame.evaluate(
    (s) => (window as unknown as { mini: { prepare(s: Step): void } }).mini.prepare(s),
    step,
  );
  await page.frameLocator(onScreen(app)).locator('#act').click();
}

/** The pages' `index`th answer, waiting for it. */
export const resultOf = (results: PageResult[], index: number): Promise<PageResult> =>
  eventually(() => results[index], `the page's result ${index}`, 10_000);
