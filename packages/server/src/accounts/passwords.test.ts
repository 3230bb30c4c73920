import { expect, test } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

test('a hash verifies its own password and no other', async () => {
  const stored = await hashPassword('open sesame');
  expect(await verifyPassword('open sesame', stored)).toBe(true);
  expect(await verifyPassword('open sesame!', stored)).toBe(false);
  expect(await verifyPassword('', stored)).toBe(false);
});

test('the same password hashes differently each time (random salt)', async () => {
  const [a, b] = [await hashPassword('open sesame'), await hashPassword('open sesame')];
  expect(a).not.toBe(b);
  expect(a.split('$').slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
});

test('the password is compared in Unicode NFC, so composed and decomposed accents match', async () => {
  const stored = await hashPassword('caf\u00e9-latte');
  expect(await verifyPassword('cafe\u0301-latte', stored)).toBe(true);
});

test.each([
  'plain-text',
  'bcrypt$10$abc',
  'scrypt$16384$8$1$$',
  'scrypt$16385$8$1$c2FsdA==$aGFzaA==',
  'scrypt$1073741824$8$1$c2FsdA==$aGFzaA==',
  'scrypt$16384$0$1$c2FsdA==$aGFzaA==',
  'scrypt$16384$8$99$c2FsdA==$aGFzaA==',
])('a malformed record %s never verifies and never throws', async (stored) => {
  expect(await verifyPassword('anything', stored)).toBe(false);
});

test('password rules: 8 to 128 characters', () => {
  expect(passwordProblem('1234567')).toMatch(/8 to 128/);
  expect(passwordProblem('12345678')).toBeUndefined();
  expect(passwordProblem('x'.repeat(128))).toBeUndefined();
  expect(passwordProblem('x'.repeat(129))).toMatch(/8 to 128/);
});
