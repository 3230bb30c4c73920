// Me → Friends: add by username (both then see each other), the list, remove; mistakes said in words.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { signUp } from '../../server/src/test-support/harness.js';
import { openPhone, screenshot, signInOnPhone, tab, usePhoneWorld } from './support/phone.js';

const w = usePhoneWorld();

async function openFriends(username: string): Promise<Page> {
  const page = await openPhone(w.browser, w.beckon.url);
  await signInOnPhone(page, username);
  await tab(page, 'Me').click();
  await page.getByRole('button', { name: 'Friends' }).click();
  await page.getByRole('heading', { name: 'Friends' }).waitFor();
  return page;
}

const names = (page: Page) =>
  page.getByRole('list', { name: 'Your friends' }).locator('.list-row-title').allTextContents();

test('add a friend by username, both see it; unknown names and oneself are refused; remove', async () => {
  await signUp(w.beckon.server, 'lena');
  await signUp(w.beckon.server, 'omar');
  const lena = await openFriends('lena');
  await lena.getByText('No friends yet.', { exact: false }).waitFor();
  const field = lena.getByLabel("Friend's username");
  const status = lena.getByRole('status').filter({ hasNotText: /^$/ }).first();

  await field.fill('nobody-here');
  await lena.getByRole('button', { name: 'Add' }).click();
  await lena.getByText('No one has the username "nobody-here".').waitFor();
  await field.fill('LENA');
  await lena.getByRole('button', { name: 'Add' }).click();
  await lena.getByText("That's you: enter a friend's username.").waitFor();

  await field.fill('omar');
  await lena.getByRole('button', { name: 'Add' }).click();
  await lena.getByText('omar is now your friend.').waitFor();
  expect(await names(lena)).toEqual(['omar']);
  expect(await field.inputValue()).toBe('');
  expect(await status.textContent()).toBe('omar is now your friend.');
  await screenshot(lena, 'friends-added');

  // Omar sees Lena without doing anything.
  const omar = await openFriends('omar');
  await omar.getByRole('list', { name: 'Your friends' }).waitFor();
  expect(await names(omar)).toEqual(['lena']);

  await lena.getByRole('button', { name: 'Remove omar' }).click();
  const confirm = lena.getByRole('dialog', { name: 'Remove omar?' });
  await confirm.waitFor();
  await screenshot(lena, 'friends-remove-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(await names(lena)).toEqual(['omar']);
  await lena.getByRole('button', { name: 'Remove omar' }).click();
  await lena.getByRole('dialog', { name: 'Remove omar?' }).getByRole('button', { name: 'Remove' }).click();
  await lena.getByText('No friends yet.', { exact: false }).waitFor();

  await omar.reload();
  await omar.getByText('No friends yet.', { exact: false }).waitFor();
  await lena.context().close();
  await omar.context().close();
});
