// Runs before `npm test`: every system dependency the tiers need is present, or one line says what
// to install. Nothing is skipped silently.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
// @ts-expect-error plain ESM script without types
import { CHROMIUM_INSTALL_HINT, findChromium } from './chromium.mjs';
import { obtainLivekitServer } from './obtain-livekit-server';
import { obtainSeaweedfs } from './obtain-seaweedfs';

if (!(findChromium() as string | null)) {
  process.stderr.write(`${CHROMIUM_INSTALL_HINT as string}\n`);
  process.exit(1);
}
// The LAN test builds a second "computer" from a network namespace (test/support/lan.ts).
if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write('`ip` is missing: install iproute2 (`sudo apt-get install -y iproute2`); the LAN test needs it, and root.\n');
  process.exit(1);
}
// The guest-load bench's smoke test caps that link at 5 Mbit/s with a tc token bucket (tbf).
if (spawnSync('tc', ['-V'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write(
    '`tc` is missing: install iproute2 (`sudo apt-get install -y iproute2`); the guest-load bench test needs it, and root.\n',
  );
  process.exit(1);
}
// The cluster tests (test/integration/scale) start their own Redis and PostgreSQL.
if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write('`redis-server` is missing: install it (`sudo apt-get install -y redis-server`); the cluster tests need it.\n');
  process.exit(1);
}
const pgRoot = '/usr/lib/postgresql';
if (!existsSync(pgRoot) || !readdirSync(pgRoot).some((major) => existsSync(`${pgRoot}/${major}/bin/initdb`))) {
  process.stderr.write(
    'PostgreSQL is missing: install it (`sudo apt-get install -y postgresql`); the cluster tests need its server programs.\n',
  );
  process.exit(1);
}
// Recording encodes each track and composites the meeting with Debian's ffmpeg.
for (const tool of ['ffmpeg', 'ffprobe']) {
  if (spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(`\`${tool}\` is missing: install ffmpeg (\`sudo apt-get install -y ffmpeg\`); the recording tests need it.\n`);
    process.exit(1);
  }
}
// The network-conditions test (test/e2e/network-conditions.test.ts) drops UDP, loses packets at
// random and builds a home router's NAT in its namespaces with nftables, and thins a link with tc.
for (const [command, args, pkg] of [
  ['nft', ['--version'], 'nftables'],
  ['tc', ['-V'], 'iproute2'],
] as const) {
  if (spawnSync(command, args, { stdio: 'ignore' }).error) {
    process.stderr.write(
      `\`${command}\` is missing: install ${pkg} (\`sudo apt-get install -y ${pkg}\`); the network-conditions test needs it.\n`,
    );
    process.exit(1);
  }
}
// The external-TURN test (test/integration/sfu/coturn.test.ts) runs Debian's coturn.
if (spawnSync('turnserver', ['--version'], { stdio: 'ignore' }).error) {
  process.stderr.write('`turnserver` is missing: install coturn (`sudo apt-get install -y coturn`); the external-TURN test needs it.\n');
  process.exit(1);
}
try {
  await obtainLivekitServer();
} catch (err) {
  process.stderr.write(`[livekit-server] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
// The recording storage test runs against a real S3-compatible server: SeaweedFS, built with Go.
try {
  await obtainSeaweedfs();
} catch (err) {
  process.stderr.write(
    `[seaweedfs] ${err instanceof Error ? err.message : String(err)} (run \`npm run seaweedfs\`; the S3 recording test needs it)\n`,
  );
  process.exit(1);
}
