// A second computer on a slow link, for figures that measure a page load over a real bandwidth cap:
// a network namespace joined to this one by a veth pair, with a tc token bucket (tbf) on both ends,
// so downloads (this machine -> the other) and uploads are each capped at `rateKbit`. Chromium runs
// inside it through a wrapper script. Names and the subnet carry a random suffix so parallel runs
// never collide; remove() always runs, also after a failure. (test/support/lan.ts is the same LAN
// for tests, without the cap; benches keep their own copy.)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShapedLink {
  namespace: string;
  /** This machine's address on the link (servers listen here). */
  hostAddress: string;
  /** The other computer's address. */
  otherAddress: string;
  rateKbit: number;
  /** A command that runs `chromium` inside the other computer (an executablePath for playwright). */
  chromiumInOther(chromium: string): string;
  /** Bytes sent over the link to the other computer so far (what its browser downloaded, all of it). */
  bytesToOther(): number;
  remove(): void;
}

const run = (cmd: string, ...args: string[]): void => {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/**
 * tbf: `burst` is one 10 ms worth of tokens at the rate (at least 16 kB, the kernel wants one MTU plus
 * headroom), `latency` bounds the queue at 200 ms, as a home or hotel router's buffer does.
 */
function tbfArgs(dev: string, rateKbit: number): string[] {
  const burstBytes = Math.max(16_000, Math.round((rateKbit * 1000) / 8 / 100));
  return ['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', String(burstBytes), 'latency', '200ms'];
}

export function createShapedLink(rateKbit: number): ShapedLink {
  const suffix = Math.random().toString(36).slice(2, 8);
  const subnet = 1 + Math.floor(Math.random() * 250);
  const namespace = `pbench-${suffix}`;
  const hostLink = `pb${suffix}a`;
  const otherLink = `pb${suffix}b`;
  const hostAddress = `10.78.${subnet}.1`;
  const otherAddress = `10.78.${subnet}.2`;
  const scripts: string[] = [];
  const remove = (): void => {
    for (const step of [() => run('ip', 'link', 'del', hostLink), () => run('ip', 'netns', 'del', namespace)]) {
      try {
        step();
      } catch {
        // already gone
      }
    }
    for (const dir of scripts) rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('ip', 'netns', 'add', namespace);
    run('ip', 'link', 'add', hostLink, 'type', 'veth', 'peer', 'name', otherLink);
    run('ip', 'link', 'set', otherLink, 'netns', namespace);
    run('ip', 'addr', 'add', `${hostAddress}/24`, 'dev', hostLink);
    run('ip', 'link', 'set', hostLink, 'up');
    run('ip', 'netns', 'exec', namespace, 'ip', 'addr', 'add', `${otherAddress}/24`, 'dev', otherLink);
    run('ip', 'netns', 'exec', namespace, 'ip', 'link', 'set', otherLink, 'up');
    run('ip', 'netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up');
    run('tc', ...tbfArgs(hostLink, rateKbit));
    run('ip', 'netns', 'exec', namespace, 'tc', ...tbfArgs(otherLink, rateKbit));
  } catch (error) {
    remove();
    throw error;
  }
  return {
    namespace,
    hostAddress,
    otherAddress,
    rateKbit,
    chromiumInOther(chromium) {
      const dir = mkdtempSync(join(tmpdir(), 'parley-bench-link-'));
      scripts.push(dir);
      const script = join(dir, 'chromium-in-other-computer');
      writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${namespace} ${chromium} "$@"\n`);
      chmodSync(script, 0o755);
      return script;
    },
    bytesToOther: () => Number(readFileSync(`/sys/class/net/${hostLink}/statistics/tx_bytes`, 'utf8').trim()),
    remove,
  };
}
