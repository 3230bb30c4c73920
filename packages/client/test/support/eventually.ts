/**
 * Polls `check` until it returns a truthy value; throws with `what` after `ms`. Shared by the browser tests
 * and the SDK's Node tests (this file imports nothing, so the unit run does not load Playwright).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
