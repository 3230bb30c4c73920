import type { AppCatalogue, AppListing } from '@beckon/protocol';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';
import { getApp } from './service.js';

/** The public facts of an app: never its secrets, owner or limits. */
export function toAppListing(app: AppRecord): AppListing {
  return {
    appid: app.appid,
    name: app.name,
    type: app.type,
    icon: app.icon,
    frontend: app.frontend,
    entryPage: app.pages[0] ?? '',
    pages: app.pages,
  };
}

// One order whatever the server's locale: the phone's list must not change with the host it runs on.
const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Every app, by name (then appid): the phone lists those with a front end and names and draws the rest where
 * their cards appear.
 */
export async function appCatalogue(ctx: Context): Promise<AppCatalogue> {
  const apps = await ctx.store.apps.list();
  apps.sort((a, b) => byName.compare(a.name, b.name) || (a.appid < b.appid ? -1 : 1));
  return { apps: apps.map(toAppListing) };
}

/** One app's listing; 91003 when there is no such app. */
export async function appListing(ctx: Context, appid: string): Promise<AppListing> {
  return toAppListing(await getApp(ctx, appid));
}
