// A timestamp drawn into video frames and read back from decoded frames: 24 bits of a millisecond
// clock as black/white blocks, with a complement row below so a frame smeared by the encoder is
// rejected instead of misread. Blocks are large (1/26 of the width) so VP8 at low bitrates keeps them.

export const STAMP_BITS = 24;
const MOD = 2 ** STAMP_BITS;

/** Wall-clock milliseconds with sub-ms resolution, comparable across pages of one machine. */
export const clockMs = (): number => performance.timeOrigin + performance.now();

export function drawStamp(ctx: CanvasRenderingContext2D, w: number, h: number, nowMs: number, frame: number): void {
  ctx.fillStyle = '#303030';
  ctx.fillRect(0, 0, w, h);
  // A moving bar: real content changes, so the encoder does not skip frames as duplicates.
  ctx.fillStyle = '#2563eb';
  ctx.fillRect((frame * 7) % w, h * 0.6, w * 0.1, h * 0.3);
  const v = Math.floor(nowMs) % MOD;
  // Unrounded block sizes: the reader scales the frame, and rounding here would shift the blocks.
  const bw = w / (STAMP_BITS + 2);
  const bh = h / 6;
  for (let i = 0; i < STAMP_BITS; i++) {
    const bit = (v >> (STAMP_BITS - 1 - i)) & 1;
    ctx.fillStyle = bit ? '#ffffff' : '#000000';
    ctx.fillRect((i + 1) * bw, bh, bw, bh);
    ctx.fillStyle = bit ? '#000000' : '#ffffff';
    ctx.fillRect((i + 1) * bw, bh * 3, bw, bh);
  }
}

/** Reads the stamp from RGBA pixels of a frame scaled to w x h; null when the rows disagree. */
export function readStamp(rgba: Uint8ClampedArray, w: number, h: number): number | null {
  const bw = w / (STAMP_BITS + 2);
  const bh = h / 6;
  const lum = (x: number, y: number): number => {
    const i = (Math.floor(y) * w + Math.floor(x)) * 4;
    return 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
  };
  let v = 0;
  for (let i = 0; i < STAMP_BITS; i++) {
    const cx = (i + 1.5) * bw;
    const top = lum(cx, bh * 1.5);
    const bottom = lum(cx, bh * 3.5);
    const bit = top > 128 ? 1 : 0;
    if ((bottom > 128 ? 1 : 0) === bit) return null;
    v = v * 2 + bit;
  }
  return v;
}

/** Receive clock minus stamp, modulo the stamp's wrap-around. */
export function stampLatency(stamp: number, nowMs: number): number {
  return ((nowMs % MOD) - stamp + MOD) % MOD;
}
