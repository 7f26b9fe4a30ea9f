// Locates the Electron binary without `require('electron')`, which would try to download it.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const pkgDir = resolve('node_modules', 'electron');

/** @returns {string | null} the Electron executable, when installed */
export function installedElectron() {
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/**
 * Fetches the binary the way the electron package does on first use, unless the environment says
 * not to (our build machines cannot reach the download host). Returns the executable or null.
 */
export function obtainElectron() {
  const found = installedElectron();
  if (found || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return found;
  if (!existsSync(join(pkgDir, 'install.js'))) return null;
  spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 180_000 });
  return installedElectron();
}
