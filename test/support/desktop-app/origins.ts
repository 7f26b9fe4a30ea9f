// parley://app <-> the secure origin that stands in for it in Chromium. It is deliberately not the
// team server's origin: the app's pages call the team server cross-origin, as they do in Electron.
export const APP_STAND_IN_ORIGIN = 'https://app.parley.test';
const APP_ORIGIN = 'parley://app';

/** What main sees for a page URL: the stand-in origin maps back to parley://app, anything else is itself. */
export function appUrlFor(pageUrl: string): string {
  return pageUrl.startsWith(`${APP_STAND_IN_ORIGIN}/`) ? `${APP_ORIGIN}${pageUrl.slice(APP_STAND_IN_ORIGIN.length)}` : pageUrl;
}

/** Where Chromium loads a URL main asked for. */
export function pageUrlFor(appUrl: string): string {
  return appUrl.startsWith(`${APP_ORIGIN}/`) ? `${APP_STAND_IN_ORIGIN}${appUrl.slice(APP_ORIGIN.length)}` : appUrl;
}
