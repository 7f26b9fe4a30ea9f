// The effect's runtime assets are copies of files from the npm package @mediapipe/selfie_segmentation,
// committed under renderer/public/media so the app serves them itself (no CDN at run time). The
// loader script, wasm, graph and model must match each other byte for byte, so an npm upgrade
// without re-copying fails here.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_IMAGES } from '@renderer/lib/media/background-effect';
import { EFFECT_ASSET_DIR } from '@renderer/lib/media/background-processor';

const sha = (path: string) =>
  createHash('sha256')
    .update(readFileSync(resolve(path)))
    .digest('hex');
const shipped = resolve('renderer/public', EFFECT_ASSET_DIR);
const installed = resolve('node_modules/@mediapipe/selfie_segmentation');

describe('locally served effect assets', () => {
  const files = readdirSync(shipped).filter((f) => f !== 'NOTICE.txt');

  it('ships the loader, the SIMD wasm, the graph and the landscape model', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'selfie_segmentation.js',
        'selfie_segmentation.binarypb',
        'selfie_segmentation_landscape.tflite',
        'selfie_segmentation_solution_simd_wasm_bin.js',
        'selfie_segmentation_solution_simd_wasm_bin.wasm',
      ]),
    );
  });

  it('every shipped file is the installed package’s file', () => {
    for (const f of files) expect(sha(resolve(shipped, f)), f).toBe(sha(resolve(installed, f)));
  });

  it('every shipped background image exists', () => {
    for (const path of Object.values(BACKGROUND_IMAGES)) expect(existsSync(resolve('renderer/public', path)), path).toBe(true);
  });
});
