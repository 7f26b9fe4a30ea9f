// The typed bridge: one contract, one exposed object, every subscription returns its unsubscribe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { createDesktopApi, type BridgeTransport } from '@preload/api';
import {
  bridgeErrorCode,
  DEFAULT_SETTINGS,
  eventChannels,
  invokeChannels,
  NavigationSchema,
  SettingsSchema,
  type DesktopApi,
} from '@contracts/desktop';

const ROOT = join(import.meta.dirname, '../../..');

function recordingTransport() {
  const invoked: Array<{ channel: string; payload: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: BridgeTransport = {
    invoke: async (channel, payload) => {
      invoked.push({ channel, payload });
      return { ok: true, value: null };
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown): void => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
  return { transport, invoked, listeners, emit };
}

/** Calls every method of the api with plausible arguments; returns the channels touched. */
async function exerciseAll(api: DesktopApi): Promise<void> {
  const noop = (): void => undefined;
  for (const group of Object.values(api) as Array<Record<string, (...args: unknown[]) => unknown>>) {
    for (const [name, method] of Object.entries(group)) {
      const result = name.startsWith('on')
        ? method(noop)
        : method({ url: 'https://x.test', requestId: 'r', sourceId: 's', shareAudio: false });
      if (result instanceof Promise) await result.catch(() => undefined);
    }
  }
}

describe('contract', () => {
  it('names every channel domain:verb', () => {
    for (const channel of [...Object.keys(invokeChannels), ...Object.keys(eventChannels)]) expect(channel).toMatch(/^[a-z-]+:[a-z-]+$/);
  });

  it('imports nothing but zod', () => {
    const text = readFileSync(join(ROOT, 'contracts/desktop.ts'), 'utf8');
    const imports = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(imports).toEqual(['zod']);
  });

  it('defaults are valid settings', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it('navigation payloads are closed unions', () => {
    expect(NavigationSchema.safeParse({ view: 'settings' }).success).toBe(true);
    expect(NavigationSchema.safeParse({ view: 'devtools' }).success).toBe(false);
  });

  it('error codes survive contextBridge through the message', () => {
    expect(bridgeErrorCode(new Error('[PICKER_STALE_REQUEST] gone'))).toBe('PICKER_STALE_REQUEST');
    expect(bridgeErrorCode(new Error("Error invoking remote method 'x': [IPC_FORBIDDEN_SENDER] no"))).toBe('IPC_FORBIDDEN_SENDER');
    expect(bridgeErrorCode(new Error('[NOT_A_CODE] x'))).toBeNull();
    expect(bridgeErrorCode('nope')).toBeNull();
  });
});

describe('createDesktopApi', () => {
  it('covers every invoke and event channel of the contract, and nothing else', async () => {
    const { transport, invoked, listeners } = recordingTransport();
    await exerciseAll(createDesktopApi(transport));
    expect(new Set(invoked.map((call) => call.channel))).toEqual(new Set(Object.keys(invokeChannels)));
    expect(new Set(listeners.keys())).toEqual(new Set(Object.keys(eventChannels)));
  });

  it('unwraps answers and rethrows failures with their code', async () => {
    const api = createDesktopApi({
      invoke: async (channel) =>
        channel === 'settings:get'
          ? { ok: true, value: DEFAULT_SETTINGS }
          : { ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', message: 'not you' } },
      subscribe: () => () => undefined,
    });
    await expect(api.settings.get()).resolves.toEqual(DEFAULT_SETTINGS);
    const failure = await api.picker.cancel('r').catch((error: unknown) => error);
    expect(bridgeErrorCode(failure)).toBe('IPC_FORBIDDEN_SENDER');
  });

  it('passes payloads through as the contract shapes them', async () => {
    const { transport, invoked } = recordingTransport();
    const api = createDesktopApi(transport);
    await api.app.openExternal('https://example.com');
    await api.picker.choose({ requestId: 'r1', sourceId: 'screen:0:0', shareAudio: true });
    await api.settings.get();
    expect(invoked).toEqual([
      { channel: 'app:open-external', payload: { url: 'https://example.com' } },
      { channel: 'picker:choose', payload: { requestId: 'r1', sourceId: 'screen:0:0', shareAudio: true } },
      { channel: 'settings:get', payload: undefined },
    ]);
  });

  it('every on* returns its unsubscribe, which really unsubscribes', () => {
    const { transport, emit } = recordingTransport();
    const api = createDesktopApi(transport);
    const listener = vi.fn();
    const unsubscribe = api.call.onControl(listener);
    emit('call:control', { action: 'leave', source: 'tray' });
    unsubscribe();
    emit('call:control', { action: 'leave', source: 'tray' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ action: 'leave', source: 'tray' });
  });

  it('is frozen, so a page cannot swap a method', () => {
    const api = createDesktopApi(recordingTransport().transport);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.picker)).toBe(true);
    expect(() => {
      (api.picker as { choose: unknown }).choose = () => undefined;
    }).toThrow();
  });

  it('rejects non-function listeners', () => {
    const api = createDesktopApi(recordingTransport().transport);
    expect(() => api.app.onNavigate('nope' as never)).toThrow(TypeError);
  });
});

describe('the preload bundle', () => {
  it('requires only electron (sandboxed preloads cannot load anything else) and carries no zod', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'preload/index.ts')],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      external: ['electron'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toContain('ZodType');
    expect(code).toContain('exposeInMainWorld("parley"');
    // Exactly one object is exposed.
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
  });

  it('exposes the bridge only to a top-level parley://app page, and never leaks the IPC event', async () => {
    const exposed: Array<[string, unknown]> = [];
    const handlers = new Map<string, (event: unknown, payload: unknown) => void>();
    const source = await build({
      entryPoints: [join(ROOT, 'preload/index.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      logLevel: 'silent',
      plugins: [
        {
          name: 'fake-electron',
          setup(builder) {
            builder.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'fake' }));
            builder.onLoad({ filter: /.*/, namespace: 'fake' }, () => ({
              contents: 'export const contextBridge = globalThis.__contextBridge; export const ipcRenderer = globalThis.__ipcRenderer;',
            }));
          },
        },
      ],
    });
    const code = source.outputFiles[0]?.text ?? '';
    const run = (href: { protocol: string; host: string }, top = true): void => {
      const window: Record<string, unknown> = { location: href };
      window.top = top ? window : {};
      new Function('window', 'globalThis', code)(window, {
        __contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
        __ipcRenderer: {
          invoke: async () => ({ ok: true, value: null }),
          on: (channel: string, handler: (event: unknown, payload: unknown) => void) => handlers.set(channel, handler),
          removeListener: (channel: string) => handlers.delete(channel),
        },
      });
    };
    run({ protocol: 'https:', host: 'evil.example' });
    run({ protocol: 'parley:', host: 'app' }, false);
    expect(exposed).toHaveLength(0);
    run({ protocol: 'parley:', host: 'app' });
    expect(exposed.map(([key]) => key)).toEqual(['parley']);

    const api = exposed[0]?.[1] as DesktopApi;
    const received: unknown[][] = [];
    const unsubscribe = api.call.onControl((...args: unknown[]) => received.push(args));
    handlers.get('call:control')?.({ sender: 'the IpcRendererEvent', ports: [] }, { action: 'leave', source: 'tray' });
    expect(received).toEqual([[{ action: 'leave', source: 'tray' }]]);
    unsubscribe();
    expect(handlers.has('call:control')).toBe(false);
  });
});
