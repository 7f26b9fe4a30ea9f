// Node module hooks for the desktop-app harness: `electron` (and the native key hook) resolve to the
// harness's stand-ins. Each launch imports main with its own ?launch=N, and the stand-in gets the
// same query, so every launch evaluates a fresh main process against its own fake.
const stand = { electron: './electron-module.mjs', 'uiohook-napi': './no-key-hook.mjs' };

export async function resolve(specifier, context, nextResolve) {
  const target = stand[specifier];
  if (target && context.parentURL?.includes('/out/main/')) {
    const launch = new URL(context.parentURL).search;
    return { url: new URL(target, import.meta.url).href + launch, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
