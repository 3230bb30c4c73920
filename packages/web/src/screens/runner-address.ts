import { SCENES } from '@beckon/protocol';

/** How the runner was asked to open an app: the page, its query, the scene (bridge.ts LaunchOptions). */
export interface Launch {
  appid: string;
  /** A card's `page` (`pages/order/detail?id=42`), or null for the app's entry page. */
  page: string | null;
  scene: number;
}

/**
 * The runner's address: `/apps/<appid>` from Home (scene 1001), `/apps/<appid>?page=…&scene=1014` from a
 * card. A reload of the runner opens the app again the same way.
 */
export function runnerAddress(
  appid: string,
  page: string | null = null,
  scene: number = SCENES.HOME,
): string {
  const params = new URLSearchParams();
  if (page !== null) params.set('page', page);
  if (scene !== SCENES.HOME) params.set('scene', String(scene));
  const search = params.toString();
  return `/apps/${encodeURIComponent(appid)}${search ? `?${search}` : ''}`;
}

/** The launch a runner address asks for (the scenes the phone itself uses; anything else is Home's). */
export function launchFrom(appid: string, query: URLSearchParams): Launch {
  const scene =
    Number(query.get('scene')) === SCENES.SERVICE_NOTIFICATION ? SCENES.SERVICE_NOTIFICATION : SCENES.HOME;
  return { appid, page: query.get('page'), scene };
}
