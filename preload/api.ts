// Builds the one object the preload exposes as `window.parley`. Kept free of electron imports so the
// same code runs in the sandboxed preload and, in tests, in a plain page over a fake transport.
import type {
  DesktopApi,
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  IpcResult,
  Unsubscribe,
} from '@contracts/desktop';

/** The two things the bridge needs from ipcRenderer. */
export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Must pass only the payload to the listener, never the IpcRendererEvent. */
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe;
}

export function createDesktopApi(transport: BridgeTransport): DesktopApi {
  // Only type information comes from the contract; main validates every payload, so the preload
  // stays a thin, auditable pass-through.
  async function call<C extends InvokeChannel>(
    channel: C,
    ...payload: InvokeRequest<C> extends undefined ? [] : [InvokeRequest<C>]
  ): Promise<InvokeResponse<C>> {
    const result = (await transport.invoke(channel, payload[0])) as IpcResult<InvokeResponse<C>>;
    if (result.ok) return result.value;
    throw new Error(`[${result.error.code}] ${result.error.message}`);
  }

  function on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): Unsubscribe {
    if (typeof listener !== 'function') throw new TypeError(`listener for ${channel} must be a function`);
    return transport.subscribe(channel, (payload) => listener(payload as EventPayload<C>));
  }

  const done = async (promise: Promise<null>): Promise<void> => {
    await promise;
  };

  const api: DesktopApi = {
    app: {
      getInfo: () => call('app:get-info'),
      ready: () => done(call('app:ready')),
      openExternal: (url) => done(call('app:open-external', { url })),
      onNavigate: (listener) => on('app:navigate', listener),
    },
    settings: {
      get: () => call('settings:get'),
      update: (patch) => call('settings:update', patch),
      onChanged: (listener) => on('settings:changed', listener),
    },
    servers: {
      add: (request) => call('servers:add', request),
      sync: (url) => call('servers:sync', { url }),
    },
    call: {
      updateState: (state) => done(call('call:update-state', state)),
      onControl: (listener) => on('call:control', listener),
      onShareStop: (listener) => on('share:stop', listener),
    },
    system: {
      onPower: (listener) => on('system:power', listener),
      getScreenAccess: () => call('screen:get-access'),
      openScreenSettings: () => done(call('screen:open-settings')),
    },
    notifications: {
      show: (request) => call('notification:show', request),
    },
    shortcuts: {
      getStatus: () => call('shortcuts:get-status'),
    },
    picker: {
      getState: () => call('picker:get-state'),
      onState: (listener) => on('picker:state', listener),
      choose: (choice) => done(call('picker:choose', choice)),
      cancel: (requestId) => done(call('picker:cancel', { requestId })),
    },
    shareBar: {
      getState: () => call('share-bar:get-state'),
      onState: (listener) => on('share-bar:state', listener),
      stop: () => done(call('share-bar:stop')),
    },
    localHost: {
      getStatus: () => call('local-host:get-status'),
      start: () => call('local-host:start'),
      stop: () => call('local-host:stop'),
      onStatus: (listener) => on('local-host:status', listener),
    },
    updates: {
      getStatus: () => call('update:get-status'),
      check: () => call('update:check'),
      install: () => done(call('update:install')),
      onStatus: (listener) => on('update:status', listener),
    },
  };
  return deepFreeze(api);
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
