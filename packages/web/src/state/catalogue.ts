import type { AppCatalogue, AppListing } from '@beckon/protocol';
import { computed, signal } from '@preact/signals';
import { http, inWords } from './http.js';

/** Every app the platform lists (`GET /api/apps`), by name; null until the first answer. */
export const apps = signal<AppListing[] | null>(null);
export const appsError = signal<string | null>(null);

/** Apps by appid, for the cards and settings that name an app. */
export const appById = computed(() => new Map((apps.value ?? []).map((app) => [app.appid, app])));

let loading: Promise<void> | null = null;

/** Loads the catalogue (once at a time); `fresh` asks again even when it is already here. */
export function loadApps(fresh = false): Promise<void> {
  if (loading) return loading;
  if (apps.value && !fresh) return Promise.resolve();
  appsError.value = null;
  loading = http
    .request<AppCatalogue>('GET', '/api/apps')
    .then(
      (body) => {
        apps.value = body.apps;
      },
      (err: unknown) => {
        appsError.value = inWords(err);
      },
    )
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** Forgets the catalogue (sign-out: the next person may see other apps). */
export function clearApps(): void {
  apps.value = null;
  appsError.value = null;
}
