// A LAN of the test's own making: this machine's network namespace and a second one (the "other
// computer"), joined by a veth pair with private addresses on that link only. Names and the subnet
// carry a random suffix so parallel runs never collide; remove() always runs, also after a failure.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestLan {
  namespace: string;
  /** This machine's address on the link (where the host listens). */
  hostAddress: string;
  /** The other computer's address. */
  otherAddress: string;
  /** A command that runs the system Chromium inside the other computer. */
  chromiumInOther(chromium: string): string;
  remove(): void;
}

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

export function createLan(): TestLan {
  const suffix = Math.random().toString(36).slice(2, 8);
  const subnet = 1 + Math.floor(Math.random() * 250);
  const namespace = `parley-${suffix}`;
  const hostLink = `pv${suffix}a`;
  const otherLink = `pv${suffix}b`;
  const hostAddress = `10.77.${subnet}.1`;
  const otherAddress = `10.77.${subnet}.2`;
  const remove = (): void => {
    for (const step of [() => ip('link', 'del', hostLink), () => ip('netns', 'del', namespace)]) {
      try {
        step();
      } catch {
        // already gone
      }
    }
  };
  try {
    ip('netns', 'add', namespace);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', otherLink);
    ip('link', 'set', otherLink, 'netns', namespace);
    ip('addr', 'add', `${hostAddress}/24`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('netns', 'exec', namespace, 'ip', 'addr', 'add', `${otherAddress}/24`, 'dev', otherLink);
    ip('netns', 'exec', namespace, 'ip', 'link', 'set', otherLink, 'up');
    ip('netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    remove();
    throw error;
  }
  return {
    namespace,
    hostAddress,
    otherAddress,
    chromiumInOther(chromium) {
      const dir = mkdtempSync(join(tmpdir(), 'parley-lan-'));
      const script = join(dir, 'chromium-in-other-computer');
      writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${namespace} ${chromium} "$@"\n`);
      chmodSync(script, 0o755);
      return script;
    },
    remove,
  };
}
