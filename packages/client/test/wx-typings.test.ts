/**
 * Beckon's `wx` follows WeChat's official typings for every member it implements: wx-typings/*.ts assign it
 * to `Pick<WechatMiniprogram.Wx, …>` (miniprogram-api-typings) and to `WechatMinigame.Wx`'s members
 * (minigame-api-typings). Both packages declare a global `wx`, so each gets a tsconfig of its own, and tsc
 * runs here: `npm test` fails when Beckon's types and WeChat's drift apart.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = (name: string) =>
  fileURLToPath(new URL(`./wx-typings/tsconfig.${name}.json`, import.meta.url));

function typecheck(name: string): string {
  try {
    execFileSync(process.execPath, [tsc, '-p', project(name)], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(err);
  }
}

test.each(['miniprogram', 'minigame'])("Beckon's wx is assignable to WeChat's %s typings", (name) => {
  expect(typecheck(name)).toBe('');
});
