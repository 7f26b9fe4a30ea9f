// Networks that fight back, of the test's own making: a bridge in this machine's namespace (the
// "internet" the team server listens on) and computers hanging off it, each in its own network
// namespace: a plain one, one whose firewall drops UDP, one behind a home router that masquerades
// (NAT), and knobs for random loss (nftables numgen) and a thin link (tc tbf). Every name carries a
// random suffix so parallel runs never collide, and remove() takes all of it down, also after a
// failure. A missing kernel feature fails with one line that names it.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class NetlabError extends Error {
  readonly code = 'NETLAB_UNAVAILABLE';
}

function run(what: string, command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (err as Error).message;
    throw new NetlabError(`${what} is not available here (${command} ${args.join(' ')}: ${stderr})`);
  }
}

const quiet = (command: string, args: string[]): void => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
};

export interface Computer {
  name: string;
  namespace: string;
  /** Its address as the server sees it (the router's, for one behind NAT). */
  address: string;
  /** Its own address on its own link (differs from `address` behind NAT). */
  ownAddress: string;
  /** A command that runs `program` (Chromium) inside this computer. */
  wrap(program: string): string;
  /** Drops every UDP packet in and out (a firewall that only lets TCP through). */
  dropUdp(): void;
  /** Drops `percent`% of all packets in and out at random; 0 lifts it. */
  setLoss(percent: number): void;
  /** Caps what reaches this computer to `kbit` kbit/s (tc tbf on the link towards it); 0 lifts it. */
  setDownlinkCap(kbit: number): void;
}

export interface Netlab {
  /** The server's address on the bridge. */
  serverAddress: string;
  subnet: string;
  addComputer(name: string, opts?: { behindNat?: boolean }): Computer;
  remove(): void;
}

export function createNetlab(): Netlab {
  const suffix = Math.random().toString(36).slice(2, 7);
  const a = 100 + Math.floor(Math.random() * 100);
  const b = 1 + Math.floor(Math.random() * 250);
  const base = `10.${a}.${b}`;
  const bridge = `pb${suffix}`;
  const namespaces: string[] = [];
  const links: string[] = [];
  const dirs: string[] = [];
  let next = 10;

  const remove = (): void => {
    for (const link of links.reverse()) quiet('ip', ['link', 'del', link]);
    for (const ns of namespaces.reverse()) quiet('ip', ['netns', 'del', ns]);
    quiet('ip', ['link', 'del', bridge]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };

  try {
    run('network namespaces', 'ip', ['netns', 'list']);
    run('a Linux bridge', 'ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('a Linux bridge', 'ip', ['addr', 'add', `${base}.1/24`, 'dev', bridge]);
    run('a Linux bridge', 'ip', ['link', 'set', bridge, 'up']);
  } catch (err) {
    remove();
    throw err;
  }

  const inNs = (ns: string, what: string, command: string, args: string[]): string =>
    run(what, 'ip', ['netns', 'exec', ns, command, ...args]);

  /** A namespace joined to `upstream` (the bridge, or a router's inside) by a veth pair. */
  const attach = (ns: string, rootSide: string, nsSide: string): void => {
    run('veth pairs', 'ip', ['link', 'add', rootSide, 'type', 'veth', 'peer', 'name', nsSide]);
    links.push(rootSide);
    run('veth pairs', 'ip', ['link', 'set', nsSide, 'netns', ns]);
  };

  const newNamespace = (tag: string): string => {
    const ns = `parley-${suffix}-${tag}`;
    run('network namespaces', 'ip', ['netns', 'add', ns]);
    namespaces.push(ns);
    inNs(ns, 'network namespaces', 'ip', ['link', 'set', 'lo', 'up']);
    return ns;
  };

  const firewall = (ns: string, table: string): void => {
    inNs(ns, 'nftables', 'nft', ['add', 'table', 'inet', table]);
    inNs(ns, 'nftables', 'nft', ['add', 'chain', 'inet', table, 'in', '{ type filter hook input priority 0 ; }']);
    inNs(ns, 'nftables', 'nft', ['add', 'chain', 'inet', table, 'out', '{ type filter hook output priority 0 ; }']);
  };

  return {
    serverAddress: `${base}.1`,
    subnet: `${base}.0/24`,
    addComputer(name, opts = {}) {
      const i = next++;
      const tag = `${i}`;
      const ns = newNamespace(tag);
      const rootSide = `pv${suffix}${tag}`;
      const nsSide = `pw${suffix}${tag}`;
      const address = `${base}.${i}`;
      let ownAddress = address;
      try {
        if (opts.behindNat) {
          // The home router: its outside on the bridge, its inside a private LAN with this computer.
          const edgeNs = newNamespace(`${tag}r`);
          attach(edgeNs, rootSide, nsSide);
          run('a Linux bridge', 'ip', ['link', 'set', rootSide, 'master', bridge, 'up']);
          inNs(edgeNs, 'veth pairs', 'ip', ['addr', 'add', `${address}/24`, 'dev', nsSide]);
          inNs(edgeNs, 'veth pairs', 'ip', ['link', 'set', nsSide, 'up']);
          const home = `192.168.${1 + Math.floor(Math.random() * 250)}`;
          const inside = `ph${suffix}${tag}`;
          const lan = `pl${suffix}${tag}`;
          inNs(edgeNs, 'veth pairs', 'ip', ['link', 'add', inside, 'type', 'veth', 'peer', 'name', lan]);
          inNs(edgeNs, 'veth pairs', 'ip', ['link', 'set', lan, 'netns', ns]);
          inNs(edgeNs, 'veth pairs', 'ip', ['addr', 'add', `${home}.1/24`, 'dev', inside]);
          inNs(edgeNs, 'veth pairs', 'ip', ['link', 'set', inside, 'up']);
          inNs(edgeNs, 'IP forwarding in a namespace', 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
          const nat = `parley${suffix}nat`;
          inNs(edgeNs, 'nftables', 'nft', ['add', 'table', 'ip', nat]);
          inNs(edgeNs, 'nftables', 'nft', ['add', 'chain', 'ip', nat, 'post', '{ type nat hook postrouting priority 100 ; }']);
          inNs(edgeNs, 'nftables masquerade (NAT)', 'nft', ['add', 'rule', 'ip', nat, 'post', 'oifname', nsSide, 'masquerade', 'random']);
          ownAddress = `${home}.2`;
          inNs(ns, 'veth pairs', 'ip', ['addr', 'add', `${ownAddress}/24`, 'dev', lan]);
          inNs(ns, 'veth pairs', 'ip', ['link', 'set', lan, 'up']);
          inNs(ns, 'routes', 'ip', ['route', 'add', 'default', 'via', `${home}.1`]);
        } else {
          attach(ns, rootSide, nsSide);
          run('a Linux bridge', 'ip', ['link', 'set', rootSide, 'master', bridge, 'up']);
          inNs(ns, 'veth pairs', 'ip', ['addr', 'add', `${address}/24`, 'dev', nsSide]);
          inNs(ns, 'veth pairs', 'ip', ['link', 'set', nsSide, 'up']);
        }
      } catch (err) {
        remove();
        throw err;
      }
      const table = `parley${suffix}`;
      let tableMade = false;
      const ensureTable = (): void => {
        if (!tableMade) firewall(ns, table);
        tableMade = true;
      };
      return {
        name,
        namespace: ns,
        address,
        ownAddress,
        wrap(program) {
          const dir = mkdtempSync(join(tmpdir(), 'parley-netlab-'));
          dirs.push(dir);
          const script = join(dir, `in-${name}`);
          writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${ns} ${program} "$@"\n`);
          chmodSync(script, 0o755);
          return script;
        },
        dropUdp() {
          ensureTable();
          for (const chain of ['in', 'out'])
            inNs(ns, 'nftables', 'nft', ['add', 'rule', 'inet', table, chain, 'meta', 'l4proto', 'udp', 'drop']);
        },
        setLoss(percent) {
          ensureTable();
          for (const chain of ['in', 'out']) {
            inNs(ns, 'nftables', 'nft', ['flush', 'chain', 'inet', table, chain]);
            if (percent > 0)
              inNs(ns, 'nftables random loss (numgen)', 'nft', [
                'add',
                'rule',
                'inet',
                table,
                chain,
                'numgen',
                'random',
                'mod',
                '100',
                '<',
                String(percent),
                'drop',
              ]);
          }
        },
        setDownlinkCap(kbit) {
          quiet('tc', ['qdisc', 'del', 'dev', rootSide, 'root']);
          if (kbit > 0)
            run('tc tbf (bandwidth caps)', 'tc', [
              'qdisc',
              'add',
              'dev',
              rootSide,
              'root',
              'tbf',
              'rate',
              `${kbit}kbit`,
              'burst',
              '32kbit',
              'latency',
              '400ms',
            ]);
        },
      };
    },
    remove,
  };
}
