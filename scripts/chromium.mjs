// Where the system Chromium lives and how every test and bench starts it. Tests never download a
// browser: Debian's chromium package (or $CHROMIUM_PATH) is the one we drive.
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** @returns {string | null} */
export function findChromium() {
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

export const CHROMIUM_INSTALL_HINT = 'Chromium is missing: install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH).';

/** Flags measured to work headless on a loopback-only machine with fake media. */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];
