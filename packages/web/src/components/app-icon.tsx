import type { AppListing } from '@beckon/protocol';

/** WeChat-like tile colours for apps without an icon, picked by the appid so an app keeps its colour. */
const TILES = ['#07c160', '#10aeff', '#fa9d3b', '#576b95', '#e64340', '#9c6ade', '#1aad19', '#00b5ad'];

function tileColour(appid: string): string {
  let hash = 0;
  for (const char of appid) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return TILES[hash % TILES.length]!;
}

export interface AppIconProps {
  app: Pick<AppListing, 'appid' | 'name' | 'icon'>;
  size?: number;
}

/** The app's icon, or the first letter of its name on a coloured tile. Decorative: the name is beside it. */
export function AppIcon({ app, size = 44 }: AppIconProps) {
  const style = { width: `${size}px`, height: `${size}px`, borderRadius: `${Math.round(size / 4.4)}px` };
  if (app.icon) return <img class="app-icon" src={app.icon} alt="" style={style} />;
  const initial = [...app.name.trim()][0]?.toUpperCase() ?? '?';
  return (
    <span
      class="app-icon app-icon-tile"
      aria-hidden="true"
      style={{ ...style, background: tileColour(app.appid), fontSize: `${Math.round(size * 0.45)}px` }}
    >
      {initial}
    </span>
  );
}
