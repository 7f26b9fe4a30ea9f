// A LAN of the test's own making: this machine's network namespace and a second one (the "other
// computer"), joined by a veth pair with private addresses on that link only. With `rateKbit` the
// link is also a slow one: a tc token bucket (tbf) on both ends caps downloads (this machine -> the
// other) and uploads each at that rate (bench/guest-load.ts measures a page load over it). Names and
// the subnet carry a random suffix so parallel runs never collide; remove() always runs, also after
// a failure.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestLan {
  namespace: string;
  /** This machine's address on the link (where the host listens). */
  hostAddress: string;
  /** The other computer's address. */
  otherAddress: string;
  /** The cap on each direction, if the link has one. */
  rateKbit: number | null;
  /** A command that runs the system Chromium inside the other computer (an executablePath for playwright). */
  chromiumInOther(chromium: string): string;
  /** Bytes sent over the link to the other computer so far (all of its traffic: HTTP, signalling, media). */
  bytesToOther(): number;
  remove(): void;
}

const run = (cmd: string, ...args: string[]): void => {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/**
 * tbf: `burst` is 10 ms worth of tokens at the rate (at least 16 kB: the kernel wants one MTU plus
 * headroom); `latency` bounds the queue at 200 ms, as a home or hotel router's buffer does.
 */
function tbfArgs(dev: string, rateKbit: number): string[] {
  const burstBytes = Math.max(16_000, Math.round((rateKbit * 1000) / 8 / 100));
  return ['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', String(burstBytes), 'latency', '200ms'];
}

export function createLan(opts: { rateKbit?: number } = {}): TestLan {
  const rateKbit = opts.rateKbit ?? null;
  const suffix = Math.random().toString(36).slice(2, 8);
  const subnet = 1 + Math.floor(Math.random() * 250);
  const namespace = `parley-${suffix}`;
  const hostLink = `pv${suffix}a`;
  const otherLink = `pv${suffix}b`;
  const hostAddress = `10.77.${subnet}.1`;
  const otherAddress = `10.77.${subnet}.2`;
  const scriptDirs: string[] = [];
  const remove = (): void => {
    for (const step of [() => run('ip', 'link', 'del', hostLink), () => run('ip', 'netns', 'del', namespace)]) {
      try {
        step();
      } catch {
        // already gone
      }
    }
    for (const dir of scriptDirs) rmSync(dir, { recursive: true, force: true });
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
    if (rateKbit !== null) {
      run('tc', ...tbfArgs(hostLink, rateKbit));
      run('ip', 'netns', 'exec', namespace, 'tc', ...tbfArgs(otherLink, rateKbit));
    }
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
      const dir = mkdtempSync(join(tmpdir(), 'parley-lan-'));
      scriptDirs.push(dir);
      const script = join(dir, 'chromium-in-other-computer');
      writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${namespace} ${chromium} "$@"\n`);
      chmodSync(script, 0o755);
      return script;
    },
    bytesToOther: () => Number(readFileSync(`/sys/class/net/${hostLink}/statistics/tx_bytes`, 'utf8').trim()),
    remove,
  };
}
