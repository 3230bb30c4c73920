import type { AppListing } from '@beckon/protocol';

/** How the phone names an app's type, under its name (Home, the settings list, an app's settings). */
export const TYPE_WORDS: Record<AppListing['type'], string> = {
  miniprogram: 'Mini Program',
  minigame: 'Mini Game',
};
