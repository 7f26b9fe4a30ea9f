// Which tiles go where. Pure, so the rules (pin beats share beats speaker; your own screen is never
// spotlighted for you) are unit-tested without a DOM.
import type { ParticipantSnapshot } from './livekit/types';

export type TileKind = 'camera' | 'screen';

export interface TileRef {
  key: string;
  identity: string;
  kind: TileKind;
}

export type LayoutMode = 'auto' | 'grid' | 'speaker';

export type Layout =
  { kind: 'grid'; tiles: TileRef[] } | { kind: 'focus'; focus: TileRef; strip: TileRef[]; reason: 'pin' | 'share' | 'speaker' };

export const MAX_TILES_PER_PAGE = 49;

const cameraKey = (identity: string): string => `${identity}:camera`;
export const screenKey = (identity: string): string => `${identity}:screen`;

export interface LayoutInput {
  participants: readonly ParticipantSnapshot[];
  mode: LayoutMode;
  pinned: string | null;
  /** Screen-share tile keys in the order the shares started: the newest is spotlighted. */
  shareOrder: readonly string[];
  /** The remote participant who spoke last (sticky, so the stage does not flicker on silence). */
  lastSpeaker: string | null;
}

export function chooseLayout(input: LayoutInput): Layout {
  const { participants, mode, pinned, shareOrder, lastSpeaker } = input;
  const shares: TileRef[] = participants
    .filter((p) => p.screenTrack)
    .map((p) => ({ key: screenKey(p.identity), identity: p.identity, kind: 'screen' as const }))
    .sort((a, b) => shareOrder.indexOf(a.key) - shareOrder.indexOf(b.key));
  const cameras: TileRef[] = participants.map((p) => ({ key: cameraKey(p.identity), identity: p.identity, kind: 'camera' as const }));
  const all = [...shares, ...cameras];
  const focusOn = (focus: TileRef, reason: 'pin' | 'share' | 'speaker'): Layout => ({
    kind: 'focus',
    focus,
    strip: all.filter((t) => t.key !== focus.key),
    reason,
  });

  const pinnedTile = pinned ? all.find((t) => t.key === pinned) : undefined;
  if (pinnedTile) return focusOn(pinnedTile, 'pin');
  if (mode === 'grid') return { kind: 'grid', tiles: all };

  const local = participants.find((p) => p.isLocal);
  // Showing you your own screen full size is a hall of mirrors; others' shares take the stage.
  const othersShares = shares.filter((s) => s.identity !== local?.identity);
  const newestShare = othersShares[othersShares.length - 1];
  if (newestShare) return focusOn(newestShare, 'share');

  if (mode === 'speaker') {
    const remotes = participants.filter((p) => !p.isLocal);
    const speaker = remotes.find((p) => p.identity === lastSpeaker) ?? remotes[0] ?? local;
    if (speaker) return focusOn({ key: cameraKey(speaker.identity), identity: speaker.identity, kind: 'camera' }, 'speaker');
  }
  return { kind: 'grid', tiles: all };
}

export interface GridGeometry {
  cols: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/**
 * The column count that makes `count` tiles of a fixed aspect ratio as large as possible inside
 * width x height. Fixed aspect tiles are what keep the layout from jumping as video resolutions change.
 */
export function gridGeometry(count: number, width: number, height: number, gap = 8, aspect = 16 / 9): GridGeometry {
  const n = Math.max(1, count);
  let best: GridGeometry = { cols: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const maxW = (width - gap * (cols - 1)) / cols;
    const maxH = (height - gap * (rows - 1)) / rows;
    const tileWidth = Math.max(0, Math.min(maxW, maxH * aspect));
    if (tileWidth > best.tileWidth) best = { cols, rows, tileWidth, tileHeight: tileWidth / aspect };
  }
  return best;
}

/** How many tiles fit on one page without any getting smaller than minTileWidth (max 49). */
export function pageCapacity(width: number, height: number, minTileWidth = 180, gap = 8, aspect = 16 / 9): number {
  let fit = 1;
  for (let n = 1; n <= MAX_TILES_PER_PAGE; n++) {
    if (gridGeometry(n, width, height, gap, aspect).tileWidth >= minTileWidth) fit = n;
  }
  return fit;
}

/**
 * `next` if its tiles differ from `prev` (by key and order), else `prev` itself. Every participant
 * event (a speaker change, a mute) rebuilds the layout; handing the keyed, `animate:flip` grid the
 * same array when nothing moved keeps it from measuring every tile (a forced layout of all videos).
 */
export function sameTiles<T extends { key: string }>(prev: readonly T[], next: readonly T[]): readonly T[] {
  return prev.length === next.length && prev.every((t, i) => t.key === next[i]?.key) ? prev : next;
}

export function paginate<T>(items: readonly T[], page: number, perPage: number): { items: T[]; page: number; pages: number } {
  const size = Math.max(1, Math.min(MAX_TILES_PER_PAGE, perPage));
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, p * size + size), page: p, pages };
}
