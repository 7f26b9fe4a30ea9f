// The module graph of the whole repository has no cycles, counting imports from .svelte files,
// dynamic import() and type-only imports. `npm run lint:cycles` (part of `npm run lint`) exits
// non-zero on any cycle and names every module on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes load order matter and lets a lazily loaded chunk leak into the first one. Move the shared part into its own module.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|node_modules|\\.tools|\\.data|coverage|docs|renderer/public)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    detectJSDocImports: false,
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.svelte.ts', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'svelte', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
