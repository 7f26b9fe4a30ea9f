import { describe, expect, it } from 'vitest';
import { barChart, stripChart } from '@bench/lib/svg';

const wellFormed = (svg: string) => {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trim().endsWith('</svg>')).toBe(true);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
};

describe('bench SVG charts', () => {
  it('draws every run as a dot, a median per series and the reference line', () => {
    const svg = stripChart({
      title: 'A & B',
      unit: 'ms',
      series: [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b', values: [4, Number.NaN] },
      ],
      references: [{ value: 5, label: 'target' }],
    });
    wellFormed(svg);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('stroke-dasharray');
  });

  it('draws grouped bars, skipping gaps, on linear and log scales', () => {
    for (const log of [false, true]) {
      const svg = barChart({
        title: 't',
        unit: 'kbps',
        categories: ['4', '9'],
        groups: [
          { name: 'on', values: [100, Number.NaN] },
          { name: 'off', values: [2000, 4000] },
        ],
        log,
      });
      wellFormed(svg);
      expect(svg.match(/<rect x=/g)).toHaveLength(3 + 2); // 3 bars + 2 legend swatches
    }
  });

  it('is deterministic and survives empty input', () => {
    const o = { title: 't', unit: 'u', series: [{ name: 'a', values: [1, 5, 2] }] };
    expect(stripChart(o)).toBe(stripChart(o));
    wellFormed(stripChart({ title: 't', unit: 'u', series: [] }));
    wellFormed(barChart({ title: 't', unit: 'u', categories: [], groups: [] }));
  });
});
