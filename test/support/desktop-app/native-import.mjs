// Loaded by Node itself, not by vitest's module runner (vitest.config.ts lists it as external), so the
// import() below goes through Node's loader and the harness's module hooks, as Electron's would.
export const importNative = (url) => import(url);
