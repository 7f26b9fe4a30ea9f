// Where each picture goes in the composite, over time, as the meeting showed it: a grid of people,
// or, while someone shares a screen, the screen large with people in a strip below. Pure: the
// compositor turns these spans into an ffmpeg filter graph.
import type { Segment, Timeline } from './timeline';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Canvas {
  width: number;
  height: number;
}

export interface PlacedTile {
  /** The participant, or the screen share's participant. */
  identity: string;
  kind: 'camera' | 'screen';
  rect: Rect;
  /** The video piece shown in the tile, if any (a camera that is off shows an empty tile). */
  segment: Segment | undefined;
}

export interface Span {
  from: number;
  to: number;
  tiles: PlacedTile[];
}

const GAP = 8;
/** The people strip below a shared screen, as a share of the height. */
const STRIP = 0.2;

const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/** `n` cells in a near-square grid filling the canvas. */
export function gridRects(n: number, c: Canvas): Rect[] {
  if (n <= 0) return [];
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const cw = (c.width - GAP * (cols + 1)) / cols;
  const ch = (c.height - GAP * (rows + 1)) / rows;
  const out: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    const inRow = row === rows - 1 ? n - cols * (rows - 1) : cols;
    // A short last row is centred, as the meeting's grid does.
    const offset = ((cols - inRow) * (cw + GAP)) / 2;
    const col = i - row * cols;
    out.push({ x: Math.round(GAP + offset + col * (cw + GAP)), y: Math.round(GAP + row * (ch + GAP)), w: even(cw), h: even(ch) });
  }
  return out;
}

/** A screen on the stage and `n` people in a strip below it. */
export function stageRects(n: number, c: Canvas): { stage: Rect; strip: Rect[] } {
  const stripH = Math.round(c.height * STRIP);
  const stage: Rect = { x: GAP, y: GAP, w: even(c.width - 2 * GAP), h: even(c.height - stripH - 2 * GAP) };
  const th = stripH - GAP;
  const tw = Math.min(Math.round((th * 16) / 9), (c.width - GAP * (n + 1)) / Math.max(n, 1));
  const total = n * tw + (n - 1) * GAP;
  const x0 = (c.width - total) / 2;
  const strip = Array.from({ length: n }, (_, i) => ({
    x: Math.round(x0 + i * (tw + GAP)),
    y: c.height - stripH,
    w: even(tw),
    h: even(th),
  }));
  return { stage, strip };
}

const covers = (s: Segment, t: number) => s.start <= t && (s.end ?? Infinity) > t;

/** The layout spans of a recording of `durationMs`, from its timeline (segment ends already known). */
export function layoutSpans(tl: Timeline, durationMs: number, canvas: Canvas): Span[] {
  const video = tl.segments.filter((s) => s.kind === 'video');
  const cuts = new Set<number>([0, durationMs]);
  for (const p of tl.presence) {
    cuts.add(p.from);
    if (p.to !== undefined) cuts.add(p.to);
  }
  for (const s of video) {
    cuts.add(s.start);
    if (s.end !== undefined) cuts.add(s.end);
  }
  const times = [...cuts].filter((t) => t >= 0 && t <= durationMs).sort((a, b) => a - b);
  // People in the order they first appeared, so tiles keep their places as others come and go.
  const order = new Map<string, number>();
  const seen = (id: string, t: number) => order.set(id, Math.min(order.get(id) ?? Infinity, t));
  for (const p of tl.presence) seen(p.identity, p.from);
  for (const s of video) if (s.source === 'camera') seen(s.identity, s.start);

  const spans: Span[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const from = times[i]!;
    const to = times[i + 1]!;
    if (to - from < 1) continue;
    const mid = (from + to) / 2;
    const present = new Set(tl.presence.filter((p) => p.from <= mid && (p.to ?? Infinity) > mid).map((p) => p.identity));
    const cameras = video.filter((s) => s.source === 'camera' && covers(s, mid));
    for (const c of cameras) present.add(c.identity);
    const people = [...present].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const screens = video.filter((s) => s.source === 'screen_share' && covers(s, mid)).sort((a, b) => b.start - a.start);
    const camOf = (id: string) => cameras.find((c) => c.identity === id);
    const tiles: PlacedTile[] = [];
    if (screens.length) {
      const { stage, strip } = stageRects(people.length, canvas);
      tiles.push({ identity: screens[0]!.identity, kind: 'screen', rect: stage, segment: screens[0] });
      people.forEach((id, k) => tiles.push({ identity: id, kind: 'camera', rect: strip[k]!, segment: camOf(id) }));
    } else {
      const rects = gridRects(people.length, canvas);
      people.forEach((id, k) => tiles.push({ identity: id, kind: 'camera', rect: rects[k]!, segment: camOf(id) }));
    }
    spans.push({ from, to, tiles });
  }
  return spans;
}
