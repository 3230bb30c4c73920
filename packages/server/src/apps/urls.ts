import { APP_URL_MAX_LENGTH, ApiError } from '@beckon/protocol';

/** An http(s) URL the phone will load (an icon, a front end): parsed, checked, in its serialised form. */
function webUrl(field: string, input: string): URL {
  const text = checkLength(field, typeof input === 'string' ? input.trim() : '');
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw ApiError.invalidRequest(`${field} must be an http or https URL`);
  // Credentials in a URL the phone loads would be shown to (and sent by) every user's browser.
  if (url.username || url.password)
    throw ApiError.invalidRequest(`${field} must not hold a username or password`);
  return url;
}

function checkLength(field: string, href: string): string {
  if (href.length > APP_URL_MAX_LENGTH)
    throw ApiError.invalidRequest(`${field} must be at most ${APP_URL_MAX_LENGTH} characters`);
  return href;
}

/** An app's icon: any http(s) image URL, query included. */
export function iconUrl(input: string): string {
  return checkLength('icon', webUrl('icon', input).href);
}

/**
 * An app's front end, normalised so its path ends in `/`: page paths then resolve under it
 * (`new URL('pages/index/index', frontend)`), and `https://shop.example/app` means the folder `app/`. No query
 * or fragment: the phone puts the page's own query and the launch options there. Its origin must be no other
 * app's front end's (the store refuses it: frontendOriginTaken).
 */
export function frontendUrl(input: string): string {
  const url = webUrl('frontend', input);
  // A serialised URL holds `?` or `#` only as delimiters, so an empty query or fragment is caught too.
  if (url.href.includes('?') || url.href.includes('#'))
    throw ApiError.invalidRequest('frontend must have no query (?…) or fragment (#…)');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return checkLength('frontend', url.href);
}

/**
 * 91000 for a front end on an origin another app's front end has: the phone's frames of one origin can script
 * each other, so one app's page could call the other's `wx` and be answered as that app.
 */
export function frontendOriginTaken(frontend: string, otherAppid: string): ApiError {
  return ApiError.invalidRequest(
    `frontend: ${new URL(frontend).origin} is the origin of app ${otherAppid}'s front end; ` +
      'each app needs an origin of its own (another host or port)',
  );
}
