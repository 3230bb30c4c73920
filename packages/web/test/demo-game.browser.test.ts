// The demo's mini game as a newcomer meets it: the built `beckon start` on a fresh data dir (the demo on),
// examples/game (Star Hopper) running as Beckon's child, and two phones at once: bob plays, alice is his
// friend. Stamina reminders (+1 and the start's question), game reminders, a round on the friends' board, a
// star to alice, an update published with the CLI, and a card that opens the game at scene 1014. Last, the
// README's picture of the phone.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../client/test/support/browser.js';
import {
  appInert,
  appPage,
  cardsTitled,
  type Demo,
  dialog,
  openFromHome,
  pickItem,
  placedOrder,
  rowsOf,
  signInAs,
  startDemo,
} from './support/demo.js';
import { openPhone, PHONE_VIEWPORT, screenshot, tab } from './support/phone.js';

const GAME = 'Star Hopper';
const STAMINA = '体力恢复提醒';
const REMINDER_TYPES = [
  'Friend interaction reminders',
  'Friend overtaking reminders',
  'Game update reminders',
];

let demo: Demo;
let browser: Browser;
let alice: Page;
let bob: Page;
/** Full page loads of alice's phone after she signed in: a card that needs a reload would show here. */
let aliceLoads = 0;

beforeAll(async () => {
  // Passed through the demo to the samples: quick deliveries, and a stamina bar that refills during the
  // round (the round itself is the game's: 20 s).
  demo = await startDemo({ SHIP_AFTER_MS: '1000', DELIVER_AFTER_MS: '1000', STAMINA_REFILL_MS: '1500' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const game = (page: Page) => appPage(page);
/** The game's status line (what its last action came to). */
const status = (page: Page) => game(page).locator('#status');

/** Close the app (the capsule's ⊗): back where it was opened from. */
async function closeApp(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Close ${name}` }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor({ state: 'hidden' });
}

/** The game's "Subscribe to game reminders" → the phone's dialog with the three types → Allow. */
async function allowGameReminders(page: Page, screen: string): Promise<void> {
  await game(page).getByRole('button', { name: 'Subscribe to game reminders' }).click();
  const asked = dialog(page, `${GAME} Would like to send you these reminders`);
  await asked.waitFor();
  expect(await appInert(page)).toBe(true);
  expect(await asked.locator('.consent-item-title').allTextContents()).toEqual(REMINDER_TYPES);
  await screenshot(page, screen);
  await asked.getByRole('button', { name: 'Allow' }).click();
  await status(page).getByText("Game reminders on: friends' stars, rank overtakes, new versions").waitFor();
}

/** The one-template consent dialog of the game's stamina card, checked, then allowed. */
async function allowStamina(page: Page, screen: string): Promise<void> {
  const asked = dialog(page, `${GAME} Would like to send you this message`);
  await asked.waitFor();
  expect(await asked.locator('.consent-item-title').allTextContents()).toEqual([STAMINA]);
  expect(
    await asked
      .getByRole('list', { name: `${STAMINA}: what it shows` })
      .getByRole('listitem')
      .allTextContents(),
  ).toEqual(['游戏名称', '当前体力', '恢复时间', '温馨提示']);
  await screenshot(page, screen);
  await asked.getByRole('button', { name: 'Allow' }).click();
}

const banked = (page: Page) => game(page).locator('#banked').textContent();

describe('the demo: Star Hopper, two phones', () => {
  test('alice orders from the shop, then turns on the game reminders of Star Hopper', async () => {
    alice = await openPhone(browser, demo.url);
    await signInAs(alice, demo, 'alice');
    alice.on('load', () => aliceLoads++);
    await openFromHome(alice, 'Demo Shop');
    await pickItem(alice, 'Canvas tote bag, ¥59.00');
    await appPage(alice)
      .getByRole('button', { name: /^Order/ })
      .click();
    await dialog(alice, 'Demo Shop Would like to send you these messages')
      .getByRole('button', { name: 'Allow' })
      .click();
    await placedOrder(alice);
    await closeApp(alice, 'Demo Shop');

    await openFromHome(alice, GAME);
    await game(alice).getByRole('heading', { name: GAME }).waitFor();
    await allowGameReminders(alice, 'demo-game-alice-reminders');
    await closeApp(alice, GAME);
    await tab(alice, 'Notifications').click();
    await cardsTitled(alice, '签收成功通知').waitFor({ timeout: 15_000 });
  }, 60_000);

  test('bob taps "+1 reminder": the dialog, accepted, and the banked count rises', async () => {
    bob = await openPhone(browser, demo.url);
    await signInAs(bob, demo, 'bob');
    await openFromHome(bob, GAME);
    const plusOne = game(bob).getByRole('button', { name: '+1 reminder' });
    await expect.poll(() => plusOne.isEnabled()).toBe(true);
    expect(await banked(bob)).toBe('0');
    expect(await bob.getByRole('dialog').count()).toBe(0);
    await screenshot(bob, 'demo-game-open');

    await plusOne.click();
    await allowStamina(bob, 'demo-game-plus-one-dialog');
    await status(bob).getByText('Reminder banked: 1 waiting').waitFor();
    expect(await banked(bob)).toBe('1');
    // The game's answer stays in view, though its line ends a page longer than the screen.
    const line = (await status(bob).boundingBox())!;
    expect(line.y + line.height).toBeLessThanOrEqual(PHONE_VIEWPORT.height);
    await screenshot(bob, 'demo-game-banked');
  });

  test('bob subscribes to the game reminders: the system dialog', async () => {
    await allowGameReminders(bob, 'demo-game-system-dialog');
    await screenshot(bob, 'demo-game-reminders-on');
  });

  test("Start: the modal, the dialog in its callback, a round, the score on the friends' board", async () => {
    await game(bob).getByRole('button', { name: 'Start' }).click();
    const modal = dialog(bob, 'Remind me when my stamina refills?');
    await modal.waitFor();
    await screenshot(bob, 'demo-game-start-modal');
    await modal.getByRole('button', { name: 'Yes' }).click();
    await allowStamina(bob, 'demo-game-start-dialog');
    await expect.poll(() => banked(bob)).toBe('2');

    // The round: catch the stars as they pop up, until the time is up (20 s).
    const overlay = game(bob).locator('#overlay');
    await overlay.waitFor({ state: 'hidden' });
    let shot = false;
    while (await overlay.isHidden()) {
      const star = game(bob).locator('.star:not(.caught)').first();
      // A star lives about a second: one that hopped away meanwhile is simply missed.
      await star.click({ force: true, timeout: 1_000 }).catch(() => {});
      if (!shot && Number(await game(bob).locator('#score').textContent()) > 2) {
        await screenshot(bob, 'demo-game-round');
        shot = true;
      }
    }
    const title = await game(bob).locator('#overlay-title').textContent();
    const score = Number(/^New best: (\d+)!$/.exec(title ?? '')?.[1]);
    expect(score).toBeGreaterThan(0);
    // The board: bob's best and alice, who plays too.
    const board = game(bob).locator('#board-list');
    await board.getByRole('button', { name: 'Send a star to Alice' }).waitFor();
    await expect
      .poll(() => board.locator('li.me').textContent())
      .toMatch(new RegExp(`Bob \\(you\\)${score}$`));
    await board.scrollIntoViewIfNeeded();
    await screenshot(bob, 'demo-game-board');
  }, 60_000);

  test('"Send a star to alice": bob confirms in his phone, and alice\'s card arrives live', async () => {
    await game(bob).getByRole('button', { name: 'Send a star to Alice' }).click();
    const confirm = dialog(bob, 'Remind Alice?');
    await confirm.waitFor();
    await confirm.getByText('A star for you!').waitFor();
    await screenshot(bob, 'demo-game-star-confirm');
    await confirm.getByRole('button', { name: 'Send' }).click();
    await status(bob).getByText('Star sent to Alice').waitFor();

    const card = cardsTitled(alice, 'Friend interaction');
    await card.waitFor({ timeout: 15_000 });
    expect(await rowsOf(card)).toEqual(['From: Bob', 'Message: A star for you!']);
    expect(await card.locator('.card-app').textContent()).toBe(GAME);
    expect(aliceLoads).toBe(0);
    await screenshot(alice, 'demo-game-alice-star');
  });

  test('an update published with the CLI reminds the subscribed players', async () => {
    const appid = await demo.appid(GAME);
    const run = await demo.beckon(
      'game',
      'publish',
      appid,
      '--version',
      '1.1.0',
      '--phrase',
      '新增关卡',
      '--phrase',
      '修复bug',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const update = [`Game: ${GAME}`, "What's new: New levels, Bug fixes", 'Version: 1.1.0'];
    const alices = cardsTitled(alice, 'Game update');
    await alices.waitFor({ timeout: 15_000 });
    expect(await rowsOf(alices)).toEqual(update);
    await screenshot(alice, 'demo-game-alice-update');

    await closeApp(bob, GAME);
    await tab(bob, 'Notifications').click();
    const bobs = cardsTitled(bob, 'Game update');
    await bobs.waitFor({ timeout: 15_000 });
    expect(await rowsOf(bobs)).toEqual(update);
    // The bar refilled during the round: one banked grant spent on the stamina card.
    const stamina = cardsTitled(bob, STAMINA);
    await stamina.waitFor({ timeout: 15_000 });
    expect(await rowsOf(stamina)).toContain(`游戏名称: ${GAME}`);
    await screenshot(bob, 'demo-game-bob-thread');
  });

  test('a card of the game opens it at scene 1014: the game greets the player', async () => {
    await cardsTitled(bob, STAMINA).getByRole('button', { name: 'Enter Mini Program to view' }).click();
    await bob.getByRole('heading', { name: GAME, level: 1 }).waitFor();
    await game(bob).getByText('Welcome back — your stamina is full').waitFor();
    await screenshot(bob, 'demo-game-from-card');
  });

  test("the README's picture: the phone on a desktop, a shop card and the game's cards in the thread", async () => {
    const page = await openPhone(browser, demo.url, { width: 1280, height: 960 });
    await signInAs(page, demo, 'alice');
    await tab(page, 'Notifications').click();
    await cardsTitled(page, 'Game update').waitFor();
    const box = (await page.locator('.phone').boundingBox())!;
    expect(box.width).toBe(390);
    await screenshot(page, 'demo-readme-desktop');

    // The phone alone, its bezel and soft shadow (0 30px 80px) on a transparent ground, for any README theme.
    await page.addStyleTag({ content: 'html, body { background: transparent !important; }' });
    const clip = { x: box.x - 56, y: box.y - 56, width: box.width + 112, height: box.height + 56 + 112 };
    const png = await page.screenshot({ clip, omitBackground: true, animations: 'disabled' });
    const at = (dir: string) => fileURLToPath(new URL(`../../../${dir}`, import.meta.url));
    await writeFile(`${at('test-results/screens/')}demo-readme-phone.png`, png);
    if (process.env.BECKON_README_SCREENSHOT === '1') await writeFile(`${at('docs/')}phone.png`, png);
    expect(png.length).toBeLessThan(200_000);
    await page.context().close();
  });
});
