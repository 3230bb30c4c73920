import { describe, expect, test } from 'vitest';
import { type LaunchOptions, pageUrl, parsePageUrl } from './bridge.js';

const FRONTEND = 'http://127.0.0.1:8721/shop/';
const launch: LaunchOptions = { path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} };

describe('page addresses', () => {
  test('a page resolves under the front end, its query appended, the launch options in the fragment', () => {
    const url = new URL(pageUrl(FRONTEND, launch, parsePageUrl('/pages/order/detail?id=42&x=%E4%B8%AD')));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8721/shop/pages/order/detail');
    expect(Object.fromEntries(url.searchParams)).toEqual({ id: '42', x: '中' });
    expect(url.hash).toMatch(/^#beckon-launch=/);
  });

  test('relative paths resolve against the calling page, as navigateTo does', () => {
    expect(parsePageUrl('detail?id=1', 'pages/order/order')).toEqual({
      path: 'pages/order/detail',
      query: { id: '1' },
    });
    expect(parsePageUrl('../index/index', 'pages/order/order').path).toBe('pages/index/index');
  });

  // A card's page or a link into the phone is not trusted: nothing it says may load another origin.
  test.each([
    '%2F%2Fevil.example/sign-in',
    '/%2F%2Fevil.example/sign-in',
    '//evil.example/sign-in',
    'javascript:parent.document.title=1//',
    'javascript%3Aalert(1)//',
    'https://evil.example/x',
    '\\\\evil.example\\x',
    '../../../../../../etc',
  ])('%s stays a page of the front end', (hostile) => {
    const url = new URL(pageUrl(FRONTEND, launch, parsePageUrl(hostile)));
    expect(url.origin).toBe('http://127.0.0.1:8721');
  });

  test('a malformed escape is a path like any other, not an exception', () => {
    expect(parsePageUrl('pages/%zz?id=1')).toEqual({ path: 'pages/%zz', query: { id: '1' } });
  });

  test('a mini game has one page: its front end', () => {
    expect(pageUrl(FRONTEND, { ...launch, path: '' }).split('#')[0]).toBe(FRONTEND);
  });
});
