import type { Outcome } from './page-bridge.js';

interface Callbacks {
  success?: unknown;
  fail?: unknown;
  complete?: unknown;
}

/** A listener or callback that throws is reported as an uncaught error, and the others still run. */
export function runCallback(callback: unknown, value: unknown): void {
  if (typeof callback !== 'function') return;
  try {
    callback(value);
  } catch (err) {
    setTimeout(() => {
      throw err;
    });
  }
}

/**
 * The arguments a page passed, as the bridge carries them: the option object's own fields without its
 * callbacks (or any other function).
 */
export function argsOf(option: unknown): Record<string, unknown> {
  if (typeof option !== 'object' || option === null) return {};
  return Object.fromEntries(Object.entries(option).filter(([, value]) => typeof value !== 'function'));
}

/**
 * WeChat's two styles for one outcome: with any of `success`/`fail`/`complete` the callbacks run (success
 * or fail, then complete) and nothing is returned; with none, a Promise resolves with the success result or
 * rejects with the failure object.
 */
export function respond(option: unknown, outcome: Promise<Outcome>): Promise<unknown> | undefined {
  const callbacks = (typeof option === 'object' && option !== null ? option : {}) as Callbacks;
  const styled = [callbacks.success, callbacks.fail, callbacks.complete].some((c) => typeof c === 'function');
  if (!styled) return outcome.then(({ ok, result }) => (ok ? result : Promise.reject(result)));
  void outcome.then(({ ok, result }) => {
    runCallback(ok ? callbacks.success : callbacks.fail, result);
    runCallback(callbacks.complete, result);
  });
  return undefined;
}
