#!/usr/bin/env node
// Draws Parley's app and tray icons as PNGs (no image tools or downloads needed). Run it again
// after changing a colour: `node build/generate-icons.mjs`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** pixel(x, y) -> [r, g, b, a] with x, y in 0..1 */
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      // 4x supersampling for smooth edges
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < 2; sy += 1)
        for (let sx = 0; sx < 2; sx += 1) {
          const [pr, pg, pb, pa] = pixel((x + (sx + 0.5) / 2) / size, (y + (sy + 0.5) / 2) / size);
          r += pr * pa;
          g += pg * pa;
          b += pb * pa;
          a += pa;
        }
      const offset = 1 + x * 4;
      row[offset] = a ? Math.round(r / a) : 0;
      row[offset + 1] = a ? Math.round(g / a) : 0;
      row[offset + 2] = a ? Math.round(b / a) : 0;
      row[offset + 3] = Math.round((a / 4) * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TRANSPARENT = [0, 0, 0, 0];
const inRoundedSquare = (x, y, inset, radius) => {
  const cx = Math.min(Math.max(x, inset + radius), 1 - inset - radius);
  const cy = Math.min(Math.max(y, inset + radius), 1 - inset - radius);
  return Math.hypot(x - cx, y - cy) <= radius && x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset;
};
// Two overlapping speech bubbles: Parley.
const bubble = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) <= r;

const appIcon = (x, y) => {
  if (!inRoundedSquare(x, y, 0.06, 0.2)) return TRANSPARENT;
  if (bubble(x, y, 0.6, 0.42, 0.2) || (x > 0.62 && x < 0.78 && y > 0.5 && y < 0.72 && y - 0.5 < (0.78 - x) * 1.2))
    return [158, 197, 255, 1];
  if (bubble(x, y, 0.4, 0.56, 0.22) || (x > 0.24 && x < 0.4 && y > 0.64 && y < 0.86 && y - 0.64 < (x - 0.24) * 1.3))
    return [255, 255, 255, 1];
  return [29, 31, 36, 1];
};

const trayIcon = (colour, slash) => (x, y) => {
  const d = Math.hypot(x - 0.5, y - 0.5);
  if (slash && Math.abs(x - y) < 0.09 && d < 0.48) return [255, 255, 255, 1];
  if (d <= 0.42) return [...colour, 1];
  if (d <= 0.48) return [255, 255, 255, 0.9];
  return TRANSPARENT;
};

writeFileSync(join(here, 'icon.png'), png(1024, appIcon));
writeFileSync(join(here, 'tray', 'tray-idle.png'), png(32, trayIcon([120, 128, 140], false)));
writeFileSync(join(here, 'tray', 'tray-live.png'), png(32, trayIcon([69, 212, 131], false)));
writeFileSync(join(here, 'tray', 'tray-muted.png'), png(32, trayIcon([229, 72, 77], true)));
process.stdout.write('icons written to build/\n');
