// A tiny dependency-free SVG chart writer. Two shapes cover every figure:
//  - stripChart: every run of each series as a dot, with its median as a bar (shows the spread that a
//    single number hides, which matters on shared, noisy machines);
//  - barChart: grouped bars per category (e.g. room size N), one colour per group.
// Optional dashed reference lines mark targets. Output is deterministic for the same input.

const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#4b5563'];

export interface StripSeries {
  name: string;
  values: readonly number[];
}

export interface ReferenceLine {
  value: number;
  label: string;
}

export interface StripChartOptions {
  title: string;
  unit: string;
  series: readonly StripSeries[];
  references?: readonly ReferenceLine[];
  width?: number;
  height?: number;
}

export interface BarGroup {
  name: string;
  /** One value per category, in category order; NaN leaves a gap. */
  values: readonly number[];
}

export interface BarChartOptions {
  title: string;
  unit: string;
  categories: readonly string[];
  groups: readonly BarGroup[];
  references?: readonly ReferenceLine[];
  /** Log scale helps when groups differ by 10x (adaptive stream vs not). */
  log?: boolean;
  width?: number;
  height?: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => (Math.round(v * 10) / 10).toString();

function niceMax(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function tickLabel(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return Number(v.toPrecision(3)).toString();
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function header(f: Frame, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${f.width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
  ];
}

type Scale = (v: number) => number;

function yAxis(f: Frame, unit: string, max: number, log: boolean, min = 0): { out: string[]; y: Scale } {
  const plotH = f.height - f.top - f.bottom;
  const out: string[] = [];
  let y: Scale;
  let ticks: number[];
  if (log) {
    const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
    const hi = Math.ceil(Math.log10(max));
    y = (v) => f.top + plotH - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(hi - lo, 1)) * plotH;
    ticks = [];
    for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
  } else {
    const top = niceMax(max);
    y = (v) => f.top + plotH - (v / top) * plotH;
    ticks = [0, 1, 2, 3, 4, 5].map((i) => (top * i) / 5);
  }
  for (const t of ticks) {
    const ty = y(t);
    out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${num(ty)}" y2="${num(ty)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${f.left - 6}" y="${num(ty + 4)}" text-anchor="end" fill="#374151">${tickLabel(t)}</text>`);
  }
  out.push(
    `<text transform="translate(14 ${f.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${esc(unit)}</text>`,
    `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.top + plotH}" stroke="#9ca3af"/>`,
  );
  return { out, y };
}

function referenceLines(f: Frame, y: Scale, refs: readonly ReferenceLine[] | undefined): string[] {
  const out: string[] = [];
  for (const r of refs ?? []) {
    if (!Number.isFinite(r.value)) continue;
    const ry = num(y(r.value));
    out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${ry}" y2="${ry}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${f.width - f.right}" y="${Number(ry) - 4}" text-anchor="end" fill="#dc2626">${esc(r.label)}</text>`);
  }
  return out;
}

export function stripChart(o: StripChartOptions): string {
  const f: Frame = { width: o.width ?? 720, height: o.height ?? 360, left: 64, right: 16, top: 36, bottom: 48 };
  const all = o.series.flatMap((s) => s.values.filter(Number.isFinite));
  const max = Math.max(...all, ...(o.references ?? []).map((r) => r.value).filter(Number.isFinite), 0) * 1.05;
  const { out: axis, y } = yAxis(f, o.unit, max, false);
  const out = [...header(f, o.title), ...axis];
  const plotW = f.width - f.left - f.right;
  const band = plotW / Math.max(o.series.length, 1);
  o.series.forEach((s, i) => {
    const cx = f.left + band * (i + 0.5);
    const colour = PALETTE[i % PALETTE.length]!;
    const vals = s.values.filter(Number.isFinite);
    // Deterministic jitter (golden-ratio sequence) so overlapping runs stay visible.
    vals.forEach((v, k) => {
      const jitter = (((k * 0.618034) % 1) - 0.5) * Math.min(band * 0.5, 80);
      out.push(`<circle cx="${num(cx + jitter)}" cy="${num(y(v))}" r="3" fill="${colour}" fill-opacity="0.55"/>`);
    });
    if (vals.length) {
      const sorted = [...vals].sort((a, b) => a - b);
      const mid = (sorted.length - 1) / 2;
      const med = (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
      const half = Math.min(band * 0.35, 60);
      out.push(
        `<line x1="${num(cx - half)}" x2="${num(cx + half)}" y1="${num(y(med))}" y2="${num(y(med))}" stroke="#111827" stroke-width="2.5"/>`,
      );
      out.push(`<text x="${num(cx + half + 4)}" y="${num(y(med) + 4)}" fill="#111827">${tickLabel(med)}</text>`);
    }
    out.push(`<text x="${num(cx)}" y="${f.height - f.bottom + 18}" text-anchor="middle" fill="#111827">${esc(s.name)}</text>`);
  });
  out.push(...referenceLines(f, y, o.references));
  out.push(`<text x="${f.left}" y="${f.height - 8}" fill="#6b7280">dots: every run; black bar: median</text>`, '</svg>');
  return out.join('\n') + '\n';
}

export function barChart(o: BarChartOptions): string {
  const f: Frame = { width: o.width ?? 720, height: o.height ?? 360, left: 64, right: 16, top: 36, bottom: 56 };
  const all = o.groups.flatMap((g) => g.values.filter((v) => Number.isFinite(v) && (!o.log || v > 0)));
  const refs = (o.references ?? []).map((r) => r.value).filter(Number.isFinite);
  const max = Math.max(...all, ...refs, 0) * (o.log ? 1 : 1.05);
  const min = o.log ? Math.min(...all, ...refs) : 0;
  const { out: axis, y } = yAxis(f, o.unit, max, o.log ?? false, min);
  const out = [...header(f, o.title), ...axis];
  const plotW = f.width - f.left - f.right;
  const band = plotW / Math.max(o.categories.length, 1);
  const barW = (band * 0.8) / Math.max(o.groups.length, 1);
  const baseY = f.height - f.bottom;
  o.categories.forEach((c, ci) => {
    o.groups.forEach((g, gi) => {
      const v = g.values[ci];
      if (v === undefined || !Number.isFinite(v) || (o.log && v <= 0)) return;
      const x = f.left + band * ci + band * 0.1 + barW * gi;
      const top = y(v);
      out.push(
        `<rect x="${num(x)}" y="${num(top)}" width="${num(barW - 2)}" height="${num(Math.max(baseY - top, 0))}" fill="${PALETTE[gi % PALETTE.length]}"/>`,
      );
      out.push(
        `<text x="${num(x + barW / 2 - 1)}" y="${num(top - 3)}" text-anchor="middle" font-size="10" fill="#111827">${tickLabel(v)}</text>`,
      );
    });
    out.push(`<text x="${num(f.left + band * (ci + 0.5))}" y="${baseY + 16}" text-anchor="middle" fill="#111827">${esc(c)}</text>`);
  });
  out.push(...referenceLines(f, y, o.references));
  // Legend along the bottom.
  let lx = f.left;
  o.groups.forEach((g, gi) => {
    out.push(`<rect x="${lx}" y="${f.height - 18}" width="10" height="10" fill="${PALETTE[gi % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 14}" y="${f.height - 9}" fill="#111827">${esc(g.name)}</text>`);
    lx += 24 + g.name.length * 7;
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
