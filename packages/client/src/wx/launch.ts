import { LAUNCH_FRAGMENT_KEY, type LaunchOptions, SCENES } from '@beckon/protocol';
import type { LaunchOptionsApp } from './types.js';

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/** Launch options as the shell sends them (the fragment, a `show` event), or undefined when malformed. */
export function readLaunch(value: unknown): LaunchOptions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { path, query, scene } = value as Partial<LaunchOptions>;
  if (typeof path !== 'string' || !isStringRecord(query) || typeof scene !== 'number') return undefined;
  return { path, query, scene, referrerInfo: {} };
}

/**
 * The launch options the shell put in the page's URL (`#beckon-launch=…`, protocol/bridge.ts). A page opened
 * without them (outside a shell, while developing it) gets its own path and query, scene 1001.
 */
export function launchFromLocation(location: Location): LaunchOptions {
  const prefix = `#${LAUNCH_FRAGMENT_KEY}=`;
  if (location.hash.startsWith(prefix)) {
    try {
      const found = readLaunch(JSON.parse(decodeURIComponent(location.hash.slice(prefix.length))));
      if (found) return found;
    } catch {
      // Not ours after all: fall through to the page's own URL.
    }
  }
  return {
    path: location.pathname.replace(/^\/+/, ''),
    query: Object.fromEntries(new URLSearchParams(location.search)),
    scene: SCENES.HOME,
    referrerInfo: {},
  };
}

/** WeChat's full shape of launch options, from the bridge's. */
export function toLaunchOptionsApp(launch: LaunchOptions): LaunchOptionsApp {
  return {
    path: launch.path,
    query: { ...launch.query },
    scene: launch.scene,
    // WeChat's values when nothing refers the app and the host passes nothing (its typings declare fields).
    referrerInfo: {} as LaunchOptionsApp['referrerInfo'],
    apiCategory: 'default',
    forwardMaterials: [],
    hostExtraData: {} as LaunchOptionsApp['hostExtraData'],
  };
}
