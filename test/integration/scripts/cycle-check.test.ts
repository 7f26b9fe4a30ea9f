import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const depcruise = (dir: string) =>
  run(process.execPath, [
    'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'err',
    dir,
  ]);

// The cycle check `npm run lint` runs: it must see the kinds of import ESLint's no-cycle missed.
// Integration tier: it starts dependency-cruiser as a process, which a loaded machine makes slow.
describe('the import cycle check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a cycle through a .svelte file and a dynamic import, naming both modules', async () => {
    writeFileSync(join(dir, 'chunk.ts'), "export const load = () => import('./View.svelte');\nexport const title = 'x';\n");
    writeFileSync(join(dir, 'View.svelte'), '<script lang="ts">\n  import { title } from \'./chunk\';\n</script>\n<p>{title}</p>\n');
    const failed = await depcruise(dir).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/no-circular: .*chunk\.ts[\s\S]*View\.svelte/);
  });

  it('fails on a cycle made only of type imports', async () => {
    const types = mkdtempSync(join(dir, 'types-'));
    writeFileSync(join(types, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
    writeFileSync(join(types, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
    await expect(depcruise(types)).rejects.toMatchObject({ code: 1 });
  });

  it('passes the same files once the cycle is broken', async () => {
    const ok = mkdtempSync(join(dir, 'ok-'));
    writeFileSync(join(ok, 'chunk.ts'), "export const load = () => import('./View.svelte');\n");
    writeFileSync(join(ok, 'View.svelte'), '<p>no imports</p>\n');
    await expect(depcruise(ok)).resolves.toBeDefined();
  });
});
