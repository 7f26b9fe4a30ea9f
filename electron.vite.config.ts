import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { viteAliases } from './scripts/aliases';
import { webClientOutput } from './scripts/web-client-build';

const alias = viteAliases();

/** The team server `npm run dev` works against (scripts/dev.mjs checks that it answers). */
const devTeamServer = process.env.PARLEY_SERVER_URL ?? 'http://127.0.0.1:8080';

// One build for the three Electron parts. The renderer output (out/renderer) is also what the
// team server serves to browsers, so it uses relative asset paths and no Electron-only globals.
export default defineConfig({
  main: {
    resolve: { alias },
    plugins: [externalizeDepsPlugin()],
    build: { outDir: 'out/main', rollupOptions: { input: { index: resolve('main/index.ts') } } },
  },
  preload: {
    resolve: { alias },
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve('preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    resolve: { alias },
    // The team server sends the precompressed variants (server/app.ts); the report lists each chunk
    // and what is in it (docs/renderer.md, "Loading").
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), webClientOutput({ reportFile: resolve('out/web-client-bundle.json') })],
    // `npm run dev`: the page talks to its own origin as when the team server serves it, so the dev
    // server passes the API (JSON and the event stream) through to a running team server.
    server: {
      host: '127.0.0.1',
      port: Number(process.env.PARLEY_DEV_PORT ?? 5173),
      proxy: { '/api': { target: devTeamServer, changeOrigin: true } },
    },
    build: {
      outDir: resolve('out/renderer'),
      // Served over the network to browsers: minified (electron-vite leaves it off by default).
      minify: true,
      emptyOutDir: true,
      rollupOptions: {
        input: {
          index: resolve('renderer/index.html'),
          // Parley's own share picker and the "Sharing … — Stop" bar: separate, minimal windows (main/).
          picker: resolve('renderer/picker.html'),
          'share-bar': resolve('renderer/share-bar.html'),
        },
      },
    },
  },
});
