import { AppIcon } from './app-icon.js';

/** A person's avatar: the first letter of their name on a tile of their own colour (no pictures yet). */
export function Avatar({ name, seed, size = 40 }: { name: string; seed: string; size?: number }) {
  return <AppIcon app={{ appid: seed, name, icon: null }} size={size} />;
}
