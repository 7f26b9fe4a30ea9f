// Figure 4 — Team server: authenticated join-token requests per second and their latency under
// autocannon, beside a loop of AccessToken.toJwt minting the same token in the same run (the floor:
// no HTTP, no auth, no database — only the JWT signing every join needs).
//
//   npx tsx bench/team-server.ts [--runs N] [--smoke]
//
// Each run is: mint loop (floor), autocannon at full speed (peak), autocannon at half the peak rate
// (latency at a sane load). Interleaving them puts the same machine noise on floor and value.
import autocannon from 'autocannon';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { finishMachineInfo, machineInfo } from './lib/machine';
import { processTree, startCpuWindow } from './lib/proc';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { benchSession, startBenchStack } from './lib/stack';
import { median, ratio } from './lib/stats';
import { barChart, stripChart } from './lib/svg';

interface JwtClaims {
  sub?: string;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  video?: VideoGrant;
  exp?: number;
  nbf?: number;
  iat?: number;
}

function decodeJwt(token: string): JwtClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
}

/** Mints tokens with the claims of `claims` for `ms` and returns tokens per second. */
async function mintRate(apiKey: string, apiSecret: string, claims: JwtClaims, ms: number): Promise<number> {
  const ttl = claims.exp && (claims.nbf ?? claims.iat) ? claims.exp - (claims.nbf ?? claims.iat)! : 600;
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    const at = new AccessToken(apiKey, apiSecret, {
      identity: claims.sub ?? 'bench',
      ...(claims.name !== undefined ? { name: claims.name } : {}),
      ...(claims.metadata !== undefined ? { metadata: claims.metadata } : {}),
      ...(claims.attributes ? { attributes: claims.attributes } : {}),
      ttl,
    });
    if (claims.video) at.addGrant(claims.video);
    await at.toJwt();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

export async function runTeamServerBench(o: BenchOptions): Promise<FigureResult> {
  const log = logger(o);
  const runs = o.runs ?? (o.smoke ? 1 : 5);
  const mintMs = o.smoke ? 500 : 3000;
  const loadS = o.smoke ? 1 : 6;
  const connections = 10;
  const machine = machineInfo();
  const t0 = Date.now();
  const stack = await startBenchStack();
  try {
    const session = await benchSession(stack);
    const room = 'bench-load';
    await session.ensureRoom(room);
    // One real join gives the exact claims the server mints, so the floor signs the same token.
    const sample = await session.join(room, 'Bench');
    const claims = decodeJwt(sample.token);
    const req = session.joinRequest(room);
    log(`join route: ${req.method} ${req.path}`);

    const mint: number[] = [];
    const peak: number[] = [];
    const peakP50: number[] = [];
    const peakP99: number[] = [];
    const peakServerCpu: number[] = [];
    const half: number[] = [];
    const halfP50: number[] = [];
    const halfP99: number[] = [];
    const halfTarget: number[] = [];
    let non2xx = 0;
    let errors = 0;
    const statusCounts: Record<string, number> = {};

    const cannon = (overallRate?: number) =>
      autocannon({
        url: `${stack.url}${req.path}`,
        method: req.method,
        headers: req.headers,
        body: req.body,
        connections,
        duration: loadS,
        timeout: 10,
        ...(overallRate ? { overallRate } : {}),
      });

    // Warm the JIT and connection pool so run 1 is not an outlier.
    await cannon().catch(() => undefined);
    for (let i = 0; i < runs; i++) {
      mint.push(await mintRate(stack.apiKey, stack.apiSecret, claims, mintMs));
      const cpu = startCpuWindow({ server: () => processTree(stack.serverPid) });
      const p = await cannon();
      peakServerCpu.push(cpu().cores.server ?? Number.NaN);
      const ok = p['2xx'];
      peak.push(ok / p.duration);
      peakP50.push(p.latency.p50);
      peakP99.push(p.latency.p99);
      non2xx += p.non2xx;
      errors += p.errors + p.timeouts;
      for (const [code, s] of Object.entries(p.statusCodeStats ?? {})) statusCounts[code] = (statusCounts[code] ?? 0) + s.count;
      // Half of this run's peak: the latency a server sees when it is busy but not saturated.
      const rate = Math.max(1, Math.round(ok / p.duration / 2));
      halfTarget.push(rate);
      await sleep(200);
      const h = await cannon(rate);
      half.push(h['2xx'] / h.duration);
      halfP50.push(h.latency.p50);
      halfP99.push(h.latency.p99);
      non2xx += h.non2xx;
      errors += h.errors + h.timeouts;
      log(
        `run ${i + 1}/${runs}: mint ${mint.at(-1)!.toFixed(0)}/s, peak ${peak.at(-1)!.toFixed(0)}/s p99 ${p.latency.p99} ms, half ${rate}/s p99 ${h.latency.p99} ms`,
      );
    }

    const rateRatio = ratio(median(peak), median(mint));
    const p99Half = median(halfP99);
    const routeNote = `Route measured: \`POST /api/v1/rooms/:room/join\` with a signed-in member's bearer token (real sign-in via the setup code), ${connections} connections.`;
    const result: FigureResult = {
      id: 'team-server',
      number: 4,
      title: 'Team server',
      command: `npx tsx bench/team-server.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        {
          figure: 'join tokens per second (peak)',
          value: median(peak),
          unit: 'req/s',
          floor: median(mint),
          ratio: rateRatio,
          target: '>= 0.5x bare minting',
          met: Number.isFinite(rateRatio) ? rateRatio >= 0.5 : null,
        },
        {
          figure: 'p99 latency at half the peak rate',
          value: p99Half,
          unit: 'ms',
          target: '<= 20 ms',
          met: Number.isFinite(p99Half) ? p99Half <= 20 : null,
        },
      ],
      series: [
        series('bare AccessToken.toJwt minting', 'tokens/s', mint),
        series('join route, full speed', 'req/s', peak),
        series('join route p50 at full speed', 'ms', peakP50),
        series('join route p99 at full speed', 'ms', peakP99),
        series('team server CPU at full speed', 'cores', peakServerCpu),
        series('half-peak offered rate', 'req/s', halfTarget),
        series('join route, half peak (achieved)', 'req/s', half),
        series('join route p50 at half peak', 'ms', halfP50),
        series('join route p99 at half peak', 'ms', halfP99),
      ],
      tables: [],
      notes: [
        routeNote,
        `Each run: ${mintMs / 1000} s of minting in the bench process (one Node thread, like the server), then ${loadS} s of autocannon at full speed, then ${loadS} s at half of that run's peak; the team server runs in its own process.`,
        "The team server's per-client-IP rate limit (default 1200 requests/minute) is lifted to 1,000,000/minute for this figure: all load comes from one loopback address, and with the default the figure would be the limiter (20 req/s, then 429s), not the server.",
        `Non-2xx responses: ${non2xx}; errors/timeouts: ${errors}; status codes: ${JSON.stringify(statusCounts)}.`,
      ],
      charts: [],
    };
    const charts = {
      'team-server-rate.svg': stripChart({
        title: 'Join tokens per second: bare minting vs. the team server route',
        unit: 'per second',
        series: [
          { name: 'AccessToken.toJwt loop (floor)', values: mint },
          { name: 'join route, full speed', values: peak },
        ],
        references: [{ value: median(mint) * 0.5, label: 'target: 0.5x floor' }],
      }),
      'team-server-latency.svg': barChart({
        title: 'Join route latency (median of runs)',
        unit: 'ms',
        categories: ['p50', 'p99'],
        groups: [
          { name: 'half peak rate', values: [median(halfP50), median(halfP99)] },
          { name: 'full speed', values: [median(peakP50), median(peakP99)] },
        ],
        references: [{ value: 20, label: 'target: p99 <= 20 ms at half peak' }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await stack.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async (o) => printResult(await runTeamServerBench(o)));
}
