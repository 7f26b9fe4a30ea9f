import { APP_HOST, APP_SCHEME } from '@contracts/desktop';

// Node's URL gives "null" as the origin of non-special schemes such as parley:, so compare the
// scheme and host explicitly.
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

export type AppPage = 'index.html' | 'picker.html' | 'share-bar.html';

export function appPageUrl(page: AppPage): string {
  return `${APP_SCHEME}://${APP_HOST}/${page}`;
}

export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
