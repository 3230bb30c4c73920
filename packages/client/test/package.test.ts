/**
 * The package as an app installs it, from the build (`npm run build`; CI's `npm ci` runs it): `import
 * TRTCCalling from '@beckon/client'` loads the ESM build, and `@beckon/client/trtc-calling.js` is the
 * script-tag bundle that defines the global. Both once shared dist/trtc-calling.js, and the bundle won.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('@beckon/client is the ESM build; @beckon/client/trtc-calling.js is the script-tag bundle', () => {
  const script = `
    import TRTCCalling from '@beckon/client';
    import { readFileSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    import vm from 'node:vm';
    const bundle = readFileSync(fileURLToPath(import.meta.resolve('@beckon/client/trtc-calling.js')), 'utf8');
    const page = {};
    vm.runInNewContext(bundle, page);
    console.log(JSON.stringify({ esm: TRTCCalling.EVENT.INVITED, global: page.TRTCCalling?.EVENT?.INVITED }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({ esm: 'onInvited', global: 'onInvited' });
});

test('the subpaths load from the build: socket, inbox, platform, wx, shell', () => {
  const script = `
    const socket = await import('@beckon/client/socket');
    const inbox = await import('@beckon/client/inbox');
    const platform = await import('@beckon/client/platform');
    const wx = await import('@beckon/client/wx');
    const shell = await import('@beckon/client/shell');
    console.log(JSON.stringify({
      socket: typeof socket.BeckonSocket,
      inbox: typeof inbox.Inbox,
      platform: [typeof platform.PlatformHttp, typeof platform.PlatformError],
      wx: typeof wx.createWx,
      shell: [typeof shell.Shell, typeof shell.ShellError, shell.FRAME_SANDBOX],
    }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({
    socket: 'function',
    inbox: 'function',
    platform: ['function', 'function'],
    wx: 'function',
    shell: ['function', 'function', 'allow-scripts allow-forms allow-same-origin'],
  });
});

test("@beckon/client/wx.js is the script-tag bundle that defines a page's global wx", () => {
  // A page opened outside any shell (no parent frame): wx exists, and its calls say why they cannot work.
  const script = `
    import { readFileSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    import vm from 'node:vm';
    const bundle = readFileSync(fileURLToPath(import.meta.resolve('@beckon/client/wx.js')), 'utf8');
    const page = {
      location: { hash: '', pathname: '/pages/index', search: '?id=1' },
      document: { readyState: 'complete', currentScript: null },
      addEventListener() {},
      URLSearchParams,
    };
    page.window = page.parent = page;
    vm.runInNewContext(bundle, page);
    const failed = await page.wx.login().catch((err) => err);
    console.log(JSON.stringify({ launch: page.wx.getLaunchOptionsSync(), failed }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({
    launch: expect.objectContaining({ path: 'pages/index', query: { id: '1' }, scene: 1001 }),
    failed: { errMsg: 'login:fail not opened by a Beckon shell' },
  });
});
