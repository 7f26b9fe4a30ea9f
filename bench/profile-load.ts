// Profiling aid for figure 5's time to interactive (not a figure): loads the web client cold with the
// V8 CPU profiler on and prints where the main thread's time went until the first screen was usable,
// by script URL and by function.
//
//   npx tsx bench/profile-load.ts [--runs N]
import { parseArgs } from 'node:util';
import { launchBenchBrowser } from './lib/browser';
import { buildWebClient } from './lib/harness';
import { startBenchStack } from './lib/stack';
import { sleep } from './lib/cli';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number >= 1 (got ${values.runs})`);
const web = await buildWebClient();
const stack = await startBenchStack({ webClientDir: web.dir });
const browser = await launchBenchBrowser();
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(stack.url);
    await page.waitForSelector('button:not([disabled]), input:not([disabled])', { timeout: 30_000 });
    await sleep(300);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const byUrl = new Map<string, number>();
    const byFn = new Map<string, number>();
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    (profile.samples ?? []).forEach((id, k) => {
      const n = nodes.get(id)!;
      const dt = (profile.timeDeltas?.[k] ?? 0) / 1000;
      const url = n.callFrame.url.replace(/^.*\//, '') || `(${n.callFrame.functionName || 'native'})`;
      byUrl.set(url, (byUrl.get(url) ?? 0) + dt);
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
    });
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = performance
        .getEntriesByType('resource')
        .map((r) => `${r.name.replace(/^.*\//, '')} ${(r as PerformanceResourceTiming).responseEnd.toFixed(0)} ms`);
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, res };
    });
    const top = (m: Map<string, number>, k: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([n, t]) => `  ${t.toFixed(1).padStart(7)} ms  ${n}`);
    console.log(
      `\nrun ${i + 1}: DOMContentLoaded ${nav.dcl.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms; resources: ${nav.res.join(', ')}`,
    );
    console.log('self time by script:\n' + top(byUrl, 8).join('\n'));
    console.log('self time by function:\n' + top(byFn, 12).join('\n'));
    await page.context().close();
  }
} finally {
  await browser.close();
  await stack.close();
  web.remove();
}
process.exit(0);
