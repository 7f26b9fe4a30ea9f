// One path alias per top-level folder, so no import climbs out of its process folder with `../../`.
// tsconfig.json "paths" says the same for the type checker, esbuild and tsx; a unit test keeps the
// two in step.
import { resolve } from 'node:path';

/** Alias → folder, relative to the repository root. */
export const ALIAS_FOLDERS = {
  '@contracts': 'contracts',
  '@main': 'main',
  '@preload': 'preload',
  '@renderer': 'renderer/src',
  '@server': 'server',
  '@test': 'test',
  '@bench': 'bench',
  '@scripts': 'scripts',
} as const;

/** The aliases for Vite and Vitest, resolved against the repository root. */
export function viteAliases(root = process.cwd()): Record<string, string> {
  return Object.fromEntries(Object.entries(ALIAS_FOLDERS).map(([alias, dir]) => [alias, resolve(root, dir)]));
}
