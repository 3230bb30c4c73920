// Signing up, in and out of the phone through its own forms, against the real server; the session kept
// across reloads, and the words a person reads when something is wrong.
import { SESSION_TTL_SECONDS } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { signUp } from '../../server/src/test-support/harness.js';
import { openPhone, screenshot, signInOnPhone, signUpOnPhone, tab, usePhoneWorld } from './support/phone.js';

const w = usePhoneWorld();

describe('the phone’s account screens', () => {
  test('sign up, then a reload keeps the session; Me shows who is signed in; sign out forgets it', async () => {
    const page = await openPhone(w.browser, w.beckon.url);
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await screenshot(page, 'account-sign-in');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your Beckon account' }).waitFor();
    await page.getByLabel('Username').fill('mei');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('A password has 8 to 128 characters.');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Display name (optional)').fill('Mei Lin');
    await screenshot(page, 'account-sign-up');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    await page.reload();
    await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
    await tab(page, 'Me').click();
    await page.getByRole('heading', { name: 'Me' }).waitFor();
    expect(await page.locator('.profile-name').textContent()).toBe('Mei Lin');
    expect(await page.locator('.profile-username').textContent()).toBe('Username: mei');
    await screenshot(page, 'account-me');

    // A reload of a screen other than Home shows that screen again.
    await page.reload();
    await page.getByRole('heading', { name: 'Me' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await page.context().close();
  });

  test('a wrong password and a taken username are said in words; the right password signs in', async () => {
    await signUp(w.beckon.server, 'jun');
    const page = await openPhone(w.browser, w.beckon.url);
    await page.getByLabel('Username').fill('jun');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Wrong username or password.');
    await screenshot(page, 'account-wrong-password');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('JUN');
    await page.getByLabel('Password').fill('another good password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('That username is already taken. Please choose another.').waitFor();

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signInOnPhone(page, 'jun');
    await page.context().close();
  });

  test('a session that ends on the server (expired) brings the phone back to sign-in', async () => {
    const page = await openPhone(w.browser, w.beckon.url);
    await signUpOnPhone(page, 'ana');
    w.beckon.server.clock.advance((SESSION_TTL_SECONDS + 1) * 1000);
    await tab(page, 'Me').click();
    await page.getByRole('button', { name: 'Friends' }).click();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await page.context().close();
  });
});
