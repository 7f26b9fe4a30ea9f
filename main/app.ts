// Wires Parley's main process together. Everything Electron is passed in (index.ts hands over the
// real modules, tests a fake), so the whole app can boot under test without the Electron binary.
// The bridge handlers live in main/handlers/, one group per job; this file only connects them.
import { join } from 'node:path';
import type {
  App,
  DesktopCapturer,
  Dialog,
  GlobalShortcut,
  IpcMain,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  Net,
  NativeTheme,
  PowerMonitor,
  PowerSaveBlocker,
  Protocol,
  Screen,
  Session,
  Shell,
  SystemPreferences,
  Tray,
  WebContents,
  WebFrameMain,
  BrowserWindow,
} from 'electron';
import type { NetworkInterfaceInfo } from 'node:os';
import {
  APP_SCHEME,
  IDLE_CALL_STATE,
  type AppInfo,
  type CallControl,
  type CallState,
  type Navigation,
  type ScreenAccess,
  type Settings,
} from '@contracts/desktop';
import { installCertificatePins } from './certificate-pins';
import { buildContentSecurityPolicy } from './csp';
import { createDeepLinkRouter, findDeepLink, type DeepLinkRouter } from './deep-links';
import { createDisplayMediaController, type DisplayMediaController } from './display-media/controller';
import { createPickerWindowOpener } from './display-media/picker-window';
import { detectShareCapabilities, requiredChromiumFeatures, type PlatformFacts } from './display-media/platform';
import { createShareSession, type ShareSession } from './display-media/share-session';
import { createSourceLister } from './display-media/sources';
import { createExternalLinks } from './external-links';
import { appHandlers } from './handlers/app-handlers';
import { callHandlers } from './handlers/call-handlers';
import { localHostHandlers } from './handlers/local-host-handlers';
import { screenShareHandlers } from './handlers/screen-share-handlers';
import { serverHandlers } from './handlers/server-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { updateHandlers } from './handlers/update-handlers';
import { createEventSender, registerIpcHandlers, type EventSender } from './ipc';
import type { KeyHook } from './key-hook';
import { createLocalHost, type LocalHost, type TeamServerModule } from './local-host';
import type { Logger } from './log';
import { openMainWindow } from './main-window';
import { hardenWebContents } from './navigation';
import { createNotifier, type NotificationClass } from './notifications';
import { installPermissionHandlers } from './permissions';
import { createPowerWatcher } from './power';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { createServerFacts } from './server-facts';
import { createSettingsStore, type SettingsStore } from './settings-store';
import { createShareBar } from './share-bar';
import { createShortcuts, type Shortcuts } from './shortcuts';
import { createTeamServers, newServerQuestion, type TeamServers } from './team-servers';
import { createWindowTheme } from './theme';
import { createParleyTray, type ParleyTray, type TrayIconState } from './tray';
import { createUpdater, type LoadedUpdater, type Updater } from './updater';
import { createWindowFactory, type BrowserWindowClass, type CreateWindow } from './windows';
import { createWindowRegistry, type WindowRegistry } from './window-registry';

/** The Electron modules Parley uses; index.ts passes the real ones. */
export interface ElectronModules {
  app: App;
  BrowserWindow: BrowserWindowClass;
  ipcMain: IpcMain;
  session: { defaultSession: Session };
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  screen: Screen;
  systemPreferences: Pick<SystemPreferences, 'getMediaAccessStatus'>;
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  Notification: NotificationClass;
  Tray: new (image: NativeImage) => Tray;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu };
  nativeImage: { createFromPath(path: string): NativeImage };
  nativeTheme: Pick<NativeTheme, 'shouldUseDarkColors' | 'on' | 'removeListener'>;
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister' | 'unregisterAll'>;
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>;
  net: Pick<Net, 'isOnline' | 'fetch'>;
  webContents: { fromFrame(frame: WebFrameMain): WebContents | undefined };
}

export interface ParleyOptions {
  /** Built renderer pages (out/renderer). */
  rendererDir: string;
  /** Built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Tray icons (tray-idle.png, tray-live.png, tray-muted.png). */
  trayIconDir: string;
  platform: PlatformFacts;
  argv: readonly string[];
  log: Logger;
  /** Resolved after ready: electron-updater, or why this build cannot update itself. */
  loadUpdater(): Promise<LoadedUpdater>;
  loadServer(): Promise<TeamServerModule>;
  /**
   * A system-wide key listener that reports releases (push-to-talk where the OS does not repeat a
   * held shortcut); null where none can run, and push-to-talk then falls back (main/shortcuts.ts).
   */
  loadKeyHook?(): Promise<KeyHook | null>;
  networkInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>;
  /**
   * A team server to offer when none is saved yet (`npm start` passes the one it just started), so a
   * first launch goes straight to sign-in instead of asking for a URL.
   */
  initialServerUrl?: string;
  /** Timings, overridable by tests. */
  timings?: { pickerRefreshMs?: number; shareWindowPollMs?: number; networkPollMs?: number };
}

/** Handles for tests and for index.ts; nothing here is reachable from pages. */
export interface ParleyRuntime {
  mainWindow(): BrowserWindow | null;
  registry: WindowRegistry;
  settings: SettingsStore;
  displayMedia: DisplayMediaController;
  shareSession: ShareSession;
  shortcuts: Shortcuts;
  tray: ParleyTray | null;
  deepLinks: DeepLinkRouter;
  localHost: LocalHost;
  teamServers: TeamServers;
  updater: Updater;
  send: EventSender;
  callState(): CallState;
  createWindow: CreateWindow;
}

/** How long a launch waits for servers it has never asked before opening its window. */
const FIRST_FACTS_WAIT_MS = 1500;

const SCREEN_SETTINGS_URL = 'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture';

export async function startParley(electron: ElectronModules, options: ParleyOptions): Promise<ParleyRuntime | null> {
  const { app } = electron;
  const { log } = options;

  // A second launch hands its deep link to the first instance and exits.
  if (!app.requestSingleInstanceLock()) {
    log.info('app.second_instance_exit');
    app.quit();
    return null;
  }

  app.enableSandbox();
  const features = requiredChromiumFeatures(options.platform);
  if (features.length > 0) app.commandLine.appendSwitch('enable-features', features.join(','));
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Reviewed: links only reach parseDeepLink (strict schema) and at most open the join screen.
  if (!app.isDefaultProtocolClient(APP_SCHEME)) app.setAsDefaultProtocolClient(APP_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK

  let mainWindow: BrowserWindow | null = null;
  let quitting = false;
  let callState: CallState = IDLE_CALL_STATE;
  let send: EventSender = () => false;
  let teamServers: TeamServers | null = null;

  const bringToFront = (): void => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const navigate = (navigation: Navigation): void => {
    send(mainWindow?.webContents, 'app:navigate', navigation);
  };
  const deepLinks = createDeepLinkRouter({
    navigate,
    bringToFront,
    // Links are delivered only once the renderer listens, which is after everything below exists.
    offerLink: (serverUrl, pin) => {
      if (!teamServers) throw new Error('team servers are not loaded yet');
      return teamServers.offerLink(serverUrl, pin);
    },
    log: log.child({ module: 'deep-links' }),
  });

  // macOS delivers links through open-url, possibly before ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deepLinks.handle(url);
  });
  app.on('second-instance', (_event, argv) => {
    bringToFront();
    deepLinks.handle(findDeepLink(argv));
  });
  // The one door to the OS browser (main/external-links.ts): links off the team's servers are asked about.
  const externalLinks = createExternalLinks({
    shell: electron.shell,
    dialog: electron.dialog,
    isTeamUrl: (url) => teamServers?.isTeamUrl(url) ?? false,
    parent: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
    log: log.child({ module: 'external-links' }),
  });
  const openExternal = async (url: string): Promise<void> => {
    await externalLinks.open(url);
  };
  // A constant URL, never one from a page.
  const openScreenRecordingSettings = (): Promise<void> => electron.shell.openExternal(SCREEN_SETTINGS_URL); // eng-disable OPEN_EXTERNAL_JS_CHECK
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal, log: log.child({ module: 'navigation' }) }),
  );

  await app.whenReady();

  const userData = app.getPath('userData');
  const store = createSettingsStore(join(userData, 'settings.json'), log.child({ module: 'settings' }));
  if (options.initialServerUrl && store.get().teamServers.length === 0) {
    await store
      .update({ teamServers: [{ id: 'initial', name: 'This computer', url: options.initialServerUrl }] })
      .catch((error: unknown) => log.warn('settings.initial_server_rejected', { error }));
  }
  const registry = createWindowRegistry();
  send = createEventSender(registry, log.child({ module: 'ipc' }));
  const theme = createWindowTheme(electron.nativeTheme);
  const createWindow = createWindowFactory({ BrowserWindow: electron.BrowserWindow, preloadPath: options.preloadPath, registry, theme });
  const session = electron.session.defaultSession;

  const localHost = createLocalHost({
    loadServer: options.loadServer,
    dataDir: join(userData, 'local-host'),
    webClientDir: options.rendererDir,
    config: () => store.get().localHost,
    networkInterfaces: options.networkInterfaces,
    onStatus: (status) => send(mainWindow?.webContents, 'local-host:status', status),
    log,
  });

  let onFactsChanged = (): void => undefined;
  const facts = createServerFacts({
    file: join(userData, 'server-facts.json'),
    fetch: (url, init) => electron.net.fetch(url, init),
    keep: (origin) => servers.origins().includes(origin),
    onChange: () => onFactsChanged(),
    log,
  });
  const askAboutServer = async (origin: string): Promise<boolean> => {
    const question = newServerQuestion(origin);
    const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const { response } = parent ? await electron.dialog.showMessageBox(parent, question) : await electron.dialog.showMessageBox(question);
    return response === 0;
  };
  const servers = createTeamServers({
    settings: store,
    facts,
    ownServer: () => {
      const local = localHost.status();
      return { urls: local.url ? [local.url, ...local.lanUrls] : [], sfuUrl: localHost.sfuUrl() };
    },
    confirmTyped: askAboutServer,
    log,
  });
  teamServers = servers;
  // What each trusted server hands out, asked now; a first launch waits a moment for servers it knows
  // nothing about yet, so its first page already allows their SFUs instead of loading twice.
  servers.syncAll();
  const unknown = store.get().teamServers.filter((server) => !facts.get(new URL(server.url).origin));
  if (unknown.length > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(unknown.map((server) => facts.learn(new URL(server.url).origin))),
      new Promise((resolve) => (timer = setTimeout(resolve, FIRST_FACTS_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  const policy = (): string => buildContentSecurityPolicy({ serverOrigins: servers.origins(), sfuUrls: servers.sfuUrls() });
  // The main page keeps the policy it was served with until it loads again.
  let mainPagePolicy: string | null = null;
  const mainPageStale = (): boolean => mainPagePolicy !== null && mainPagePolicy !== policy();
  electron.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rootDir: options.rendererDir,
      csp: policy,
      onPageServed: (page, csp) => {
        if (page === 'index.html') mainPagePolicy = csp;
      },
      log: log.child({ module: 'protocol' }),
    }),
  );

  installPermissionHandlers({ session, roleOf: (contents) => registry.roleOf(contents), log: log.child({ module: 'permissions' }) });
  installCertificatePins({
    session,
    pins: () => [
      ...store.get().teamServers.flatMap((server) => (server.pin ? [{ url: server.url, pin: server.pin }] : [])),
      ...localHost.pins(),
    ],
    log: log.child({ module: 'certificates' }),
  });

  // Screen sharing
  const capabilities = detectShareCapabilities(options.platform);
  const sources = createSourceLister({ desktopCapturer: electron.desktopCapturer, screen: electron.screen });
  const shareBar = createShareBar({ createWindow, screen: electron.screen, send, log: log.child({ module: 'share-bar' }) });
  const shareSession = createShareSession({
    shareBar,
    sources,
    screen: electron.screen,
    send,
    log,
    ...(options.timings?.shareWindowPollMs ? { windowPollMs: options.timings.shareWindowPollMs } : {}),
  });
  const screenAccess = (): ScreenAccess['status'] =>
    options.platform.platform === 'darwin' ? electron.systemPreferences.getMediaAccessStatus('screen') : 'granted';
  const displayMedia = createDisplayMediaController({
    capabilities,
    sources,
    desktopCapturer: electron.desktopCapturer,
    contentsOfFrame: (frame) => electron.webContents.fromFrame(frame) ?? null,
    roleOf: (contents) => registry.roleOf(contents),
    openPicker: createPickerWindowOpener({ createWindow, parent: () => mainWindow, send, log }),
    screenAccess,
    onShareStarted: (share) => shareSession.started(share),
    log,
    ...(options.timings?.pickerRefreshMs ? { refreshIntervalMs: options.timings.pickerRefreshMs } : {}),
  });
  const installDisplayMediaHandler = (current: Settings): void => {
    const useSystemPicker = capabilities.systemPickerAvailable && current.screenShare.preferSystemPicker;
    session.setDisplayMediaRequestHandler((request, callback) => displayMedia.handleRequest(request, callback), { useSystemPicker });
  };
  installDisplayMediaHandler(store.get());

  // Call controls: tray, shortcuts, power
  const control = (action: CallControl['action'], source: CallControl['source']): void => {
    send(mainWindow?.webContents, 'call:control', { action, source });
  };
  const keyHook = options.loadKeyHook
    ? await options.loadKeyHook().catch((error: unknown) => {
        log.warn('key-hook.unavailable', { error });
        return null;
      })
    : null;
  const shortcuts = createShortcuts({
    globalShortcut: electron.globalShortcut,
    control: (action) => control(action, 'shortcut'),
    platform: options.platform.platform,
    keyHook,
    log: log.child({ module: 'shortcuts' }),
  });
  const power = createPowerWatcher({
    powerMonitor: electron.powerMonitor,
    powerSaveBlocker: electron.powerSaveBlocker,
    isOnline: () => electron.net.isOnline(),
    // A call that dropped is still worth recovering when the computer or the network comes back.
    inCall: () => callState.inCall || callState.rejoinPending,
    emit: (event) => send(mainWindow?.webContents, 'system:power', event),
    log: log.child({ module: 'power' }),
    ...(options.timings?.networkPollMs ? { networkPollMs: options.timings.networkPollMs } : {}),
  });
  const trayIcons = new Map<TrayIconState, NativeImage>();
  const trayIcon = (state: TrayIconState): NativeImage => {
    let icon = trayIcons.get(state);
    if (!icon) {
      icon = electron.nativeImage.createFromPath(join(options.trayIconDir, `tray-${state}.png`));
      trayIcons.set(state, icon);
    }
    return icon;
  };
  let tray: ParleyTray | null = null;
  try {
    tray = createParleyTray(
      {
        createTray: (icon) => new electron.Tray(icon),
        buildMenu: (template) => electron.Menu.buildFromTemplate(template),
        icon: trayIcon,
        actions: { show: bringToFront, control: (action) => control(action, 'tray'), quit: () => app.quit() },
      },
      callState,
    );
  } catch (error) {
    // Some Linux desktops have no tray; Parley then simply quits on close.
    log.warn('tray.unavailable', { error });
  }

  const notifier = createNotifier({
    Notification: electron.Notification,
    context: () => ({
      enabled: store.get().notifications.enabled,
      windowFocused: Boolean(mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused()),
      call: callState,
    }),
    bringToFront,
    navigate,
    log: log.child({ module: 'notifications' }),
  });

  const loadedUpdater = await options.loadUpdater().catch((error: unknown): LoadedUpdater => {
    log.warn('updater.load_failed', { error });
    return { unavailable: 'unpackaged' };
  });
  const updater = createUpdater({
    loaded: app.isPackaged ? loadedUpdater : { unavailable: 'unpackaged' },
    platform: options.platform.platform,
    automatic: () => store.get().updates.automatic,
    feed: () => servers.updateFeed(),
    inCall: () => callState.inCall,
    onStatus: (status) => send(mainWindow?.webContents, 'update:status', status),
    log,
  });

  const setCallState = (next: CallState): void => {
    callState = next;
    tray?.update(next);
    shortcuts.apply(store.get().shortcuts, next.inCall);
    power.setInCall(next.inCall);
    shareSession.callStateChanged(next);
  };

  store.onChange((next, previous) => {
    send(mainWindow?.webContents, 'settings:changed', next);
    shortcuts.apply(next.shortcuts, callState.inCall);
    if (next.screenShare.preferSystemPicker !== previous.screenShare.preferSystemPicker) installDisplayMediaHandler(next);
    if (next.teamServers !== previous.teamServers) servers.syncAll();
    if (next.updates.automatic !== previous.updates.automatic || next.teamServers !== previous.teamServers) updater.settingsChanged();
  });
  onFactsChanged = () => updater.settingsChanged();

  // The main window
  const open = (): BrowserWindow => {
    const window = openMainWindow({
      createWindow,
      stateFile: join(userData, 'window-state.json'),
      workAreas: () => electron.screen.getAllDisplays().map((display) => display.workArea),
      hideOnClose: () => callState.inCall && tray !== null && store.get().closeToTray,
      isQuitting: () => quitting,
      pageGone: (crashed) => {
        deepLinks.rendererGone();
        if (crashed) setCallState(IDLE_CALL_STATE);
      },
      log,
    });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    return window;
  };
  mainWindow = open();

  const appInfo = (): AppInfo => ({
    name: app.getName(),
    version: app.getVersion(),
    platform: options.platform.platform === 'darwin' || options.platform.platform === 'win32' ? options.platform.platform : 'linux',
    packaged: app.isPackaged,
    features: {
      systemPicker: capabilities.systemPickerAvailable,
      shareAudio: capabilities.audio,
      waylandPortal: capabilities.picker === 'wayland-portal',
    },
  });

  registerIpcHandlers(
    { ipcMain: electron.ipcMain, registry, log: log.child({ module: 'ipc' }) },
    {
      ...appHandlers({ info: appInfo, rendererReady: () => deepLinks.rendererReady(), openInBrowser: openExternal }),
      ...settingsHandlers(store, (patch) => servers.checkPatch(patch)),
      ...serverHandlers({ servers, pageStale: mainPageStale }),
      ...callHandlers({ setCallState, notifier, shortcuts }),
      ...screenShareHandlers({
        displayMedia,
        shareBar,
        shareSession,
        screenAccess,
        openScreenSettings: async () => {
          if (options.platform.platform === 'darwin') await openScreenRecordingSettings();
        },
      }),
      ...localHostHandlers(localHost, store),
      ...updateHandlers(updater),
    },
  );

  app.on('activate', () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = open();
    else bringToFront();
  });
  app.on('before-quit', () => {
    quitting = true;
    displayMedia.dispose();
    shareSession.dispose();
    shortcuts.dispose();
    electron.globalShortcut.unregisterAll();
    power.dispose();
    void localHost.stop();
  });
  app.on('window-all-closed', () => {
    if (options.platform.platform !== 'darwin') app.quit();
  });

  deepLinks.handle(findDeepLink(options.argv));
  if (store.get().localHost.enabled) void localHost.start();
  void updater.check();
  log.info('app.started', { version: app.getVersion(), picker: capabilities.picker, audio: capabilities.audio });

  return {
    mainWindow: () => mainWindow,
    registry,
    settings: store,
    displayMedia,
    shareSession,
    shortcuts,
    tray,
    deepLinks,
    localHost,
    teamServers: servers,
    updater,
    send,
    callState: () => callState,
    createWindow,
  };
}
