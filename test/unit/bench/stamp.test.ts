import { describe, expect, it } from 'vitest';
import { STAMP_BITS, readStamp, stampLatency } from '@bench/harness/stamp';

// The stamp reader runs in the harness page; here it is fed pixels painted the way drawStamp lays
// the blocks out (scaled, as the reader sees a decoded frame).
function paint(value: number, w: number, h: number, invertComplement = true): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4).fill(48);
  const bw = w / (STAMP_BITS + 2);
  const bh = h / 6;
  const fill = (x0: number, y0: number, on: boolean) => {
    for (let y = Math.round(y0); y < Math.round(y0 + bh); y++)
      for (let x = Math.round(x0); x < Math.round(x0 + bw); x++) px.fill(on ? 255 : 0, (y * w + x) * 4, (y * w + x) * 4 + 3);
  };
  for (let i = 0; i < STAMP_BITS; i++) {
    const bit = ((value >> (STAMP_BITS - 1 - i)) & 1) === 1;
    fill((i + 1) * bw, bh, bit);
    fill((i + 1) * bw, bh * 3, invertComplement ? !bit : bit);
  }
  return px;
}

describe('bench timestamp stamp', () => {
  it('reads back what was drawn', () => {
    for (const v of [0, 1, 0xabcdef, 2 ** STAMP_BITS - 1]) expect(readStamp(paint(v, 320, 180), 320, 180)).toBe(v);
  });
  it('rejects a frame whose complement row disagrees', () => {
    expect(readStamp(paint(0x123456, 320, 180, false), 320, 180)).toBeNull();
  });
  it('computes latency across the wrap-around', () => {
    expect(stampLatency(2 ** STAMP_BITS - 10, 2 ** STAMP_BITS * 5 + 5.5)).toBeCloseTo(15.5, 6);
  });
});
