import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceSection, series, writeResult, type FigureResult } from '@bench/lib/report';
import { machineInfo } from '@bench/lib/machine';

function fakeResult(id: string, value: number): FigureResult {
  return {
    id,
    number: 9,
    title: `Figure ${id}`,
    command: `npx tsx bench/${id}.ts`,
    smoke: true,
    startedAt: new Date(0).toISOString(),
    durationS: 1,
    machine: machineInfo(),
    headline: [{ figure: 'thing', value, unit: 'ms', floor: 2, ratio: value / 2, target: '<= 2x', met: value / 2 <= 2 }],
    series: [series('runs', 'ms', [1, 2, 3])],
    tables: [{ title: 'by N', columns: ['N', 'x'], rows: [[4, 1.5]] }],
    notes: ['a note'],
    charts: [],
  };
}

describe('bench results writer', () => {
  it('replaces only its own marked section and keeps text around it', () => {
    const doc = '# B\n\nintro\n\n## A\n\n<!-- bench:a -->\nold a\n<!-- /bench:a -->\n\nanalysis of a\n';
    const next = replaceSection(doc, 'a', 'new a', '## A');
    expect(next).toContain('new a');
    expect(next).not.toContain('old a');
    expect(next).toContain('analysis of a');
    const appended = replaceSection(next, 'b', 'body b', '## B2');
    expect(appended).toContain('## B2\n\n<!-- bench:b -->\nbody b\n<!-- /bench:b -->');
    expect(appended.indexOf('new a')).toBeLessThan(appended.indexOf('body b'));
  });

  it('writes the doc section, the chart and the JSON, and running one figure keeps the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const out = { doc: join(dir, 'docs', 'benchmarks.md'), chartsDir: join(dir, 'docs', 'benchmarks'), json: join(dir, 'r.json') };
    writeResult(fakeResult('one', 3), out, { 'one.svg': '<svg/>' });
    writeResult(fakeResult('two', 5), out, {});
    writeResult(fakeResult('one', 7), out, { 'one.svg': '<svg/>' });
    const md = readFileSync(out.doc, 'utf8');
    expect(md.match(/<!-- bench:one -->/g)).toHaveLength(1);
    expect(md).toContain('<!-- bench:two -->');
    expect(md).toContain('7 ms');
    expect(md).not.toContain('| 3 ms');
    expect(md).toContain('![Figure one](benchmarks/one.svg)');
    expect(md).toContain('every run'.replace('every', 'Every'));
    expect(existsSync(join(out.chartsDir, 'one.svg'))).toBe(true);
    expect(JSON.parse(readFileSync(out.json, 'utf8')).id).toBe('one');
  });
});
