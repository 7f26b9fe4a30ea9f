import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALIAS_FOLDERS } from '@scripts/aliases';

// Vite/Vitest read scripts/aliases.ts, tsc/esbuild/tsx read tsconfig.json: one drifting from the
// other would build code the type checker never saw (or the reverse).
describe('path aliases', () => {
  it('tsconfig.json paths and scripts/aliases.ts name the same folders', () => {
    const tsconfig = JSON.parse(readFileSync('tsconfig.json', 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    const fromTsconfig = Object.fromEntries(
      Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
        alias.replace(/\/\*$/, ''),
        target!.replace(/^\.\/|\/\*$/g, ''),
      ]),
    );
    expect(fromTsconfig).toEqual(ALIAS_FOLDERS);
  });
});
