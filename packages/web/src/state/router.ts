import { computed, signal } from '@preact/signals';

/** The phone's screens are addresses (a reload shows the same screen); history.state counts our depth. */
const here = () => ({ path: location.pathname, search: location.search });
const location$ = signal(here());

export const path = computed(() => location$.value.path);
export const query = computed(() => new URLSearchParams(location$.value.search));

addEventListener('popstate', () => {
  location$.value = here();
});

const depth = (): number => (history.state as { depth?: number } | null)?.depth ?? 0;

/** Shows another screen; `replace` when the current one should not come back with Back. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState({ depth: depth() }, '', to);
  else history.pushState({ depth: depth() + 1 }, '', to);
  location$.value = here();
}

/** Back as the browser's button goes, or to `fallback` when this screen was the first one opened. */
export function goBack(fallback: string): void {
  if (depth() > 0) history.back();
  else navigate(fallback, { replace: true });
}

const decodeOr = (part: string): string | undefined => {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

/** `/me/settings/:appid` against `/me/settings/wx…`: the parameters, or null when it does not match. */
export function match<P extends string>(pattern: string, actual: string): Record<P, string> | null {
  const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const want = trim(pattern).split('/');
  const got = trim(actual).split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      // A malformed escape (`/apps/%zz`) is an address of no screen, not a crash of the phone.
      const value = decodeOr(got[i]!);
      if (value === undefined) return null;
      params[want[i]!.slice(1)] = value;
    } else if (want[i] !== got[i]) return null;
  }
  return params as Record<P, string>;
}
