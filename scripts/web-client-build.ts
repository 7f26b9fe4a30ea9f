// Build steps of the web client (renderer/ as served by the team server) shared by electron-vite's
// config and the benches' own builds: precompressed variants of every text asset, and a bundle report.
//
// Compression is node:zlib itself (brotli and gzip are in Node; a Vite plugin package would only
// wrap the same two calls), run once at build so the server sends bytes from disk with no CPU per
// request (@fastify/static's preCompressed picks the variant by Accept-Encoding).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What is worth compressing: text (code, styles, markup, data) and the uncompressed binary formats
 * MediaPipe ships (wasm, the tflite models, its graph). Images, fonts and media are compressed
 * formats already; they are never touched.
 */
export const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.svg',
  '.txt',
  '.webmanifest',
  '.wasm',
  '.tflite',
  '.binarypb',
]);

/** Smaller files gain less than a response's headers weigh. */
export const MIN_BYTES = 1024;
/** A variant that saves less than this share is not worth a second copy (and a decode). */
export const MAX_RATIO = 0.9;

export interface CompressedFile {
  file: string;
  bytes: number;
  /** Size of the variant written, or null when it did not pay and was not written. */
  br: number | null;
  gzip: number | null;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const CACHE_DIR = join(repoRoot, 'node_modules/.cache/parley-precompress');

/** Brotli at its best quality is slow on MediaPipe's 5.7 MB wasm (~20 s): variants are cached by content. */
function compressCached(data: Buffer, ext: string): { br: Buffer; gz: Buffer } {
  const key = createHash('sha256').update(data).digest('hex');
  const brPath = join(CACHE_DIR, `${key}.br`);
  const gzPath = join(CACHE_DIR, `${key}.gz`);
  if (existsSync(brPath) && existsSync(gzPath)) return { br: readFileSync(brPath), gz: readFileSync(gzPath) };
  const binary = ext === '.wasm' || ext === '.tflite' || ext === '.binarypb';
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: binary ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(brPath, br);
    writeFileSync(gzPath, gz);
  } catch {
    // a read-only checkout still builds, only slower next time
  }
  return { br, gz };
}

/**
 * Writes `x.br` and `x.gz` beside every compressible file of `dir` where the variant pays (at most
 * MAX_RATIO of the original); a variant that does not pay is not written, so the server sends the
 * original. Returns what it did, per file.
 */
export function precompressDir(dir: string): CompressedFile[] {
  const done: CompressedFile[] = [];
  for (const path of walk(dir)) {
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const data = readFileSync(path);
    if (data.length < MIN_BYTES) continue;
    const { br, gz } = compressCached(data, extname(path));
    const pays = (c: Buffer) => c.length <= data.length * MAX_RATIO;
    if (pays(br)) writeFileSync(`${path}.br`, br);
    if (pays(gz)) writeFileSync(`${path}.gz`, gz);
    done.push({
      file: relative(dir, path).replace(/\\/g, '/'),
      bytes: data.length,
      br: pays(br) ? br.length : null,
      gzip: pays(gz) ? gz.length : null,
    });
  }
  return done;
}

export interface ChunkReport {
  file: string;
  /** The chunk's own name (entry or import() target), e.g. "index", "call", "StatsPanel". */
  name: string;
  entry: boolean;
  dynamic: boolean;
  bytes: number;
  gzip: number;
  br: number;
  /** Largest contributors by bytes before minification, grouped by npm package ("app" is our code). */
  parts: { from: string; bytes: number }[];
}

function packageOf(id: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id.replace(/\\/g, '/'));
  return m?.[1] ?? 'app';
}

const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;

/** The report as a table: every JS chunk with its sizes and its biggest parts. */
export function formatBundleReport(chunks: ChunkReport[]): string {
  const lines = ['Web client JS chunks: raw / gzip -9 / brotli 11, then the biggest parts (bytes before minifying):'];
  for (const c of chunks) {
    const kind = c.entry ? 'entry' : c.dynamic ? 'lazy' : 'shared';
    const parts = c.parts
      .slice(0, 5)
      .map((p) => `${p.from} ${kB(p.bytes)}`)
      .join(', ');
    lines.push(
      `  ${c.file.padEnd(44)} ${kind.padEnd(6)} ${kB(c.bytes).padStart(9)} ${kB(c.gzip).padStart(9)} ${kB(c.br).padStart(9)}  ${parts}`,
    );
  }
  return lines.join('\n');
}

/**
 * Vite plugin for the web client's output: once it is written (chunks and the copied public/ files),
 * precompresses it (precompressDir), then prints every JS chunk with its raw, gzip and brotli sizes
 * and which packages make it up; with `reportFile` it writes the same as JSON.
 */
export function webClientOutput(opts: { reportFile?: string; print?: boolean } = {}): Plugin {
  let outDir = '';
  let chunks: Omit<ChunkReport, 'gzip' | 'br'>[] = [];
  return {
    name: 'parley:web-client-output',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      chunks = [];
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue;
        const byPackage = new Map<string, number>();
        for (const [id, m] of Object.entries(out.modules))
          byPackage.set(packageOf(id), (byPackage.get(packageOf(id)) ?? 0) + m.renderedLength);
        chunks.push({
          file: out.fileName,
          name: out.name,
          entry: out.isEntry,
          dynamic: out.isDynamicEntry,
          bytes: Buffer.byteLength(out.code),
          parts: [...byPackage].map(([from, bytes]) => ({ from, bytes })).sort((a, b) => b.bytes - a.bytes),
        });
      }
    },
    closeBundle() {
      const sizes = new Map(precompressDir(outDir).map((f) => [f.file, f]));
      const report: ChunkReport[] = chunks
        .map((c) => ({ ...c, gzip: sizes.get(c.file)?.gzip ?? c.bytes, br: sizes.get(c.file)?.br ?? c.bytes }))
        .sort((a, b) => b.bytes - a.bytes);
      if (opts.print !== false) process.stdout.write(`\n${formatBundleReport(report)}\n`);
      if (opts.reportFile) writeFileSync(opts.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    },
  };
}
