// A faithful fake of the Electron main-process APIs Parley uses (no Electron binary here).
// "Faithful" means it keeps the rules that matter to Parley's code: schemes must be registered
// before ready, ipcMain refuses a second handler, a destroyed webContents throws on send, the
// display-media callback refuses to be called twice or without video, closing a window can be
// prevented, and window sources of this process have ids ending in ":1".
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronModules } from '@main/app';

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

export class FakeNativeImage {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly tag = 'image',
  ) {}
  isEmpty(): boolean {
    return this.width === 0 || this.height === 0;
  }
  getSize(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }
  toPNG(): Buffer {
    return Buffer.from(`PNG:${this.tag}:${this.width}x${this.height}`);
  }
  toJPEG(_quality: number): Buffer {
    return Buffer.from(`JPEG:${this.tag}:${this.width}x${this.height}`);
  }
  toDataURL(): string {
    return `data:image/png;base64,${this.toPNG().toString('base64')}`;
  }
  resize(size: { width?: number; height?: number }): FakeNativeImage {
    return new FakeNativeImage(size.width ?? this.width, size.height ?? this.height, this.tag);
  }
  static empty(): FakeNativeImage {
    return new FakeNativeImage(0, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Frames, webContents, windows
// ---------------------------------------------------------------------------------------------

let nextContentsId = 1;

export class FakeWebFrameMain {
  url: string;
  parent: FakeWebFrameMain | null;
  detached = false;
  constructor(
    readonly contents: FakeWebContents,
    url: string,
    parent: FakeWebFrameMain | null = null,
  ) {
    this.url = url;
    this.parent = parent;
  }
  get origin(): string {
    try {
      const parsed = new URL(this.url);
      return `${parsed.protocol}//${parsed.host}`;
    } catch {
      return 'null';
    }
  }
  get top(): FakeWebFrameMain {
    return this.parent ? this.parent.top : this;
  }
}

export interface SentMessage {
  channel: string;
  payload: unknown;
}

interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  url: string;
}

function preventable(url: string): PreventableEvent {
  const event = {
    defaultPrevented: false,
    url,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeWebFrameMain;
  readonly sent: SentMessage[] = [];
  private destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  /** Lets a test forward sends somewhere else (the e2e test forwards them into a real page). */
  onSend: ((message: SentMessage) => void) | null = null;

  constructor(readonly fake: FakeElectron) {
    super();
    this.mainFrame = new FakeWebFrameMain(this, '');
  }

  getURL(): string {
    this.assertAlive();
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.assertAlive();
    const message = { channel, payload: args[0] };
    this.sent.push(message);
    this.onSend?.(message);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void {
    this.windowOpenHandler = handler;
  }
  async loadURL(url: string): Promise<void> {
    this.assertAlive();
    this.emit('did-start-navigation', { url, isMainFrame: true, isSameDocument: false });
    this.mainFrame.url = url;
    // Like Chromium, the page is fetched through the handler of its scheme (parley://app: main's).
    const scheme = url.split(':')[0] ?? '';
    if (this.fake.protocol.handlers.has(scheme)) await this.fake.protocol.fetch(url).catch(() => undefined);
    else await Promise.resolve();
    if (!this.destroyed) this.emit('did-finish-load');
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.mainFrame.detached = true;
    this.emit('destroyed');
  }
  /** Simulates a page trying to navigate; true when main let it through. */
  attemptNavigation(url: string): boolean {
    const event = preventable(url);
    this.emit('will-navigate', event);
    return !event.defaultPrevented;
  }
  attemptFrameNavigation(url: string): boolean {
    const event = preventable(url);
    this.emit('will-frame-navigate', event);
    return !event.defaultPrevented;
  }
  attemptAttachWebview(): boolean {
    const event = preventable('');
    this.emit('will-attach-webview', event, {}, {});
    return !event.defaultPrevented;
  }
  /** Simulates window.open; returns what the window-open handler decided. */
  attemptWindowOpen(url: string): 'deny' | 'allow' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
  /** A child frame (iframe) in this page. */
  createSubframe(url: string): FakeWebFrameMain {
    return new FakeWebFrameMain(this, url, this.mainFrame);
  }
  crash(): void {
    this.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
  }
  private assertAlive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  private destroyed = false;
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  fullScreen = false;
  shownInactive = false;
  contentProtection = false;
  alwaysOnTopLevel: string | null = null;
  visibleOnAllWorkspaces = false;
  bounds: Rect;

  constructor(
    readonly fake: FakeElectron,
    options: Record<string, unknown> = {},
  ) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents(fake);
    this.bounds = {
      x: typeof options.x === 'number' ? options.x : 100,
      y: typeof options.y === 'number' ? options.y : 100,
      width: typeof options.width === 'number' ? options.width : 800,
      height: typeof options.height === 'number' ? options.height : 600,
    };
    if (options.alwaysOnTop === true) this.alwaysOnTopLevel = 'floating';
    fake.windows.push(this);
    fake.app.emit('browser-window-created', {}, this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }

  async loadURL(url: string): Promise<void> {
    this.assertAlive();
    await this.webContents.loadURL(url);
    if (!this.destroyed) this.emit('ready-to-show');
  }
  show(): void {
    this.assertAlive();
    this.visible = true;
    this.minimized = false;
    if (this.options.focusable !== false) {
      for (const other of this.fake.windows) other.focused = false;
      this.focused = true;
    }
  }
  showInactive(): void {
    this.assertAlive();
    this.visible = true;
    this.shownInactive = true;
  }
  hide(): void {
    this.assertAlive();
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.assertAlive();
    if (this.options.focusable === false) return;
    for (const other of this.fake.windows) other.focused = false;
    this.focused = true;
  }
  blur(): void {
    this.focused = false;
  }
  /** Like Electron: emits a preventable 'close'; if not prevented the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable('');
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.focused = false;
    this.webContents.destroy();
    this.emit('closed');
    const index = this.fake.windows.indexOf(this);
    if (index >= 0) this.fake.windows.splice(index, 1);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
    this.focused = false;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(value: boolean): void {
    this.fullScreen = value;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rect>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
    this.emit('move');
  }
  setContentProtection(enabled: boolean): void {
    this.contentProtection = enabled;
  }
  setAlwaysOnTop(flag: boolean, level = 'floating'): void {
    this.alwaysOnTopLevel = flag ? level : null;
  }
  setVisibleOnAllWorkspaces(visible: boolean): void {
    this.visibleOnAllWorkspaces = visible;
  }
  setBackgroundColor(color: string): void {
    this.options.backgroundColor = color;
  }
  getBackgroundColor(): string {
    return typeof this.options.backgroundColor === 'string' ? this.options.backgroundColor : '#FFFFFF';
  }
  private assertAlive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
}

// ---------------------------------------------------------------------------------------------
// ipcMain
// ---------------------------------------------------------------------------------------------

export class FakeIpcMain extends EventEmitter {
  private handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  channels(): string[] {
    return [...this.handlers.keys()];
  }
  /** What ipcRenderer.invoke does: the frame defaults to the sender's main frame. */
  async invoke(
    channel: string,
    sender: FakeWebContents,
    payload?: unknown,
    frame: FakeWebFrameMain | null = sender.mainFrame,
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { sender, senderFrame: frame, processId: 1, frameId: 1 };
    try {
      return await handler(event, payload);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Session: permissions and display media
// ---------------------------------------------------------------------------------------------

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean;
type DisplayMediaHandler = (request: Record<string, unknown>, callback: (streams: unknown) => void) => void;
export interface CertificateVerifyRequest {
  hostname: string;
  certificate: { data: string };
  verificationResult: string;
  errorCode: number;
}
type CertificateVerifyProc = (request: CertificateVerifyRequest, callback: (verdict: number) => void) => void;

export interface DisplayMediaStreams {
  video?: { id: string; name: string };
  audio?: 'loopback' | 'loopbackWithMute';
}

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  displayMediaHandler: DisplayMediaHandler | null = null;
  displayMediaOptions: { useSystemPicker?: boolean } | undefined;
  certificateVerifyProc: CertificateVerifyProc | null = null;

  setCertificateVerifyProc(proc: CertificateVerifyProc | null): void {
    this.certificateVerifyProc = proc;
  }
  /** What Chromium does for a server certificate: 0 trusted, -2 rejected, -3 Chromium's own verdict. */
  verifyCertificate(request: CertificateVerifyRequest): Promise<number> {
    const proc = this.certificateVerifyProc;
    if (!proc) return Promise.resolve(-3);
    return new Promise((resolve) => proc(request, resolve));
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: DisplayMediaHandler | null, options?: { useSystemPicker?: boolean }): void {
    this.displayMediaHandler = handler;
    this.displayMediaOptions = options;
  }

  /** Electron's default without a handler is to deny; with one, whatever the handler says. */
  requestPermission(contents: FakeWebContents | null, permission: string, details: Record<string, unknown>): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.permissionRequestHandler) return resolve(false);
      this.permissionRequestHandler(contents, permission, resolve, details);
    });
  }
  checkPermission(contents: FakeWebContents | null, permission: string, origin: string, details: Record<string, unknown>): boolean {
    return this.permissionCheckHandler ? this.permissionCheckHandler(contents, permission, origin, details) : false;
  }

  /**
   * What the renderer's getDisplayMedia does in Electron: calls the handler and resolves with what
   * the callback granted (null is a denial, a NotAllowedError in the page).
   */
  requestDisplayMedia(
    frame: FakeWebFrameMain | null,
    request: { video?: boolean; audio?: boolean; userGesture?: boolean; securityOrigin?: string } = {},
  ): Promise<DisplayMediaStreams | null> {
    const handler = this.displayMediaHandler;
    if (!handler) return Promise.reject(new Error('NotSupportedError: no display media handler'));
    const videoRequested = request.video ?? true;
    const audioRequested = request.audio ?? false;
    return new Promise((resolve, reject) => {
      let called = false;
      const callback = (streams: unknown): void => {
        if (called) throw new Error('Callback for display media request was already called');
        called = true;
        if (frame?.detached) throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        if (streams === null) return resolve(null);
        const granted = streams as DisplayMediaStreams;
        if (videoRequested && !granted.video) throw new Error('Video was requested, but no video stream was provided');
        if (!audioRequested && granted.audio) throw new Error('Audio was not requested, but an audio stream was provided');
        resolve(granted);
      };
      try {
        handler(
          {
            frame,
            securityOrigin: request.securityOrigin ?? frame?.origin ?? '',
            videoRequested,
            audioRequested,
            userGesture: request.userGesture ?? true,
          },
          callback,
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// desktopCapturer, screen
// ---------------------------------------------------------------------------------------------

export interface FakeSourceSpec {
  id: string;
  name: string;
  display_id?: string;
  /** Windows only: whether the app has an icon. */
  icon?: boolean;
}

export interface GetSourcesCall {
  types: string[];
  thumbnailSize?: { width: number; height: number } | undefined;
  fetchWindowIcons?: boolean | undefined;
}

export class FakeDesktopCapturer {
  sources: FakeSourceSpec[] = [];
  readonly calls: GetSourcesCall[] = [];
  /** When set, getSources waits for it: lets a test hold a slow thumbnail capture. */
  gate: Promise<void> | null = null;
  /** When set, only calls with thumbnails wait on the gate. */
  gateOnlyThumbnails = false;
  fail: Error | null = null;

  async getSources(options: GetSourcesCall): Promise<unknown[]> {
    this.calls.push(options);
    const wantsThumbnails = Boolean(options.thumbnailSize && options.thumbnailSize.width > 0 && options.thumbnailSize.height > 0);
    if (this.gate && (!this.gateOnlyThumbnails || wantsThumbnails)) await this.gate;
    if (this.fail) throw this.fail;
    const size = options.thumbnailSize ?? { width: 150, height: 150 };
    return this.sources
      .filter((source) => options.types.includes(source.id.startsWith('screen:') ? 'screen' : 'window'))
      .map((source) => ({
        id: source.id,
        name: source.name,
        display_id: source.display_id ?? '',
        thumbnail:
          wantsThumbnails || !options.thumbnailSize ? new FakeNativeImage(size.width, size.height, source.id) : FakeNativeImage.empty(),
        appIcon: options.fetchWindowIcons && source.icon ? new FakeNativeImage(64, 64, `icon-${source.id}`) : null,
      }));
  }
}

export interface FakeDisplay {
  id: number;
  label: string;
  bounds: Rect;
  workArea: Rect;
  size: { width: number; height: number };
  scaleFactor: number;
  internal: boolean;
}

export function fakeDisplay(id: number, x: number, width: number, height: number, extra: Partial<FakeDisplay> = {}): FakeDisplay {
  return {
    id,
    label: '',
    bounds: { x, y: 0, width, height },
    workArea: { x, y: 25, width, height: height - 25 },
    size: { width, height },
    scaleFactor: 1,
    internal: false,
    ...extra,
  };
}

export class FakeScreen extends EventEmitter {
  displays: FakeDisplay[] = [fakeDisplay(1, 0, 1920, 1080)];
  primaryId = 1;
  getAllDisplays(): FakeDisplay[] {
    return this.displays;
  }
  getPrimaryDisplay(): FakeDisplay {
    const primary = this.displays.find((display) => display.id === this.primaryId) ?? this.displays[0];
    if (!primary) throw new Error('no displays');
    return primary;
  }
  removeDisplay(id: number): void {
    const display = this.displays.find((candidate) => candidate.id === id);
    if (!display) return;
    this.displays = this.displays.filter((candidate) => candidate !== display);
    this.emit('display-removed', {}, display);
  }
}

// ---------------------------------------------------------------------------------------------
// App, protocol and the rest
// ---------------------------------------------------------------------------------------------

export class FakeApp extends EventEmitter {
  private ready = false;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });
  singleInstanceLock = true;
  quitCalls = 0;
  exitCode: number | null = null;
  sandboxEnabled = false;
  isPackaged = false;
  defaultProtocolClients = new Set<string>();
  readonly switches = new Map<string, string>();
  readonly userData: string;

  constructor() {
    super();
    this.userData = mkdtempSync(join(tmpdir(), 'parley-fake-userdata-'));
  }

  readonly commandLine = {
    appendSwitch: (name: string, value = ''): void => {
      this.switches.set(name, value);
    },
    getSwitchValue: (name: string): string => this.switches.get(name) ?? '',
    hasSwitch: (name: string): boolean => this.switches.has(name),
  };

  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** What Electron does when Chromium has started. */
  makeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready');
    this.readyResolve();
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxEnabled = true;
  }
  isDefaultProtocolClient(protocol: string): boolean {
    return this.defaultProtocolClients.has(protocol);
  }
  setAsDefaultProtocolClient(protocol: string): boolean {
    this.defaultProtocolClients.add(protocol);
    return true;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = preventable('');
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('will-quit', preventable(''));
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    return join(this.userData, name);
  }
  getName(): string {
    return 'Parley';
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return process.cwd();
  }
}

export class FakeProtocol {
  readonly privileged: Array<{ scheme: string; privileges?: Record<string, boolean> }> = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  constructor(private readonly app: FakeApp) {}
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>): void {
    if (this.app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    if (!this.app.isReady()) throw new Error('protocol.handle can only be used after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme has been registered: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${scheme}`);
    return handler(new Request(url, init));
  }
}

export class FakeNotification extends EventEmitter {
  static supported = true;
  static readonly instances: FakeNotification[] = [];
  shown = false;
  constructor(readonly options: { title?: string; body?: string; silent?: boolean }) {
    super();
    FakeNotification.instances.push(this);
  }
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    this.shown = true;
    this.emit('show');
  }
  click(): void {
    this.emit('click');
  }
  close(): void {
    this.emit('close');
  }
}

export class FakeTray extends EventEmitter {
  static readonly instances: FakeTray[] = [];
  image: FakeNativeImage;
  tooltip = '';
  menu: { items: Array<Record<string, unknown>> } | null = null;
  private destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: { items: Array<Record<string, unknown>> }): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Clicks the context-menu item with this id. */
  clickMenuItem(id: string): void {
    const item = this.menu?.items.find((candidate) => candidate.id === id);
    if (!item || typeof item.click !== 'function') throw new Error(`no menu item ${id}`);
    (item.click as () => void)();
  }
}

export class FakeGlobalShortcut {
  readonly registered = new Map<string, () => void>();
  /** Accelerators another app already owns. */
  readonly taken = new Set<string>();
  /**
   * Whether the OS repeats a held global shortcut: Windows and Linux do (after ~500 ms, every ~33 ms),
   * macOS does not. Set from the platform under test.
   */
  repeatsWhenHeld = true;
  /** Key releases a system-wide key hook (uiohook) would report; null when none runs. */
  keyHook: FakeKeyHook | null = null;
  private readonly holding = new Map<string, ReturnType<typeof setTimeout>>();
  register(accelerator: string, callback: () => void): boolean {
    if (this.taken.has(accelerator) || this.registered.has(accelerator)) return false;
    this.registered.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.registered.delete(accelerator);
  }
  unregisterAll(): void {
    this.registered.clear();
  }
  isRegistered(accelerator: string): boolean {
    return this.registered.has(accelerator);
  }
  /** The OS reports a press (or a key repeat) of the accelerator. */
  press(accelerator: string): void {
    const callback = this.registered.get(accelerator);
    if (!callback) throw new Error(`${accelerator} is not registered`);
    callback();
  }
  /** The person holds the keys down: a press, then repeats where the platform repeats. */
  keyDown(accelerator: string, { initialDelayMs = 500, intervalMs = 33 } = {}): void {
    this.press(accelerator);
    if (!this.repeatsWhenHeld) return;
    const repeat = (delay: number): void => {
      this.holding.set(
        accelerator,
        setTimeout(() => {
          this.registered.get(accelerator)?.();
          repeat(intervalMs);
        }, delay),
      );
    };
    repeat(initialDelayMs);
  }
  /** The person lets go: repeats stop, and a key hook sees the key (the accelerator's last part) go up. */
  keyUp(accelerator: string): void {
    clearTimeout(this.holding.get(accelerator));
    this.holding.delete(accelerator);
    this.keyHook?.release(accelerator.split('+').at(-1) ?? accelerator);
  }
}

/** Stands in for uiohook-napi through main/key-hook.ts's KeyHook interface. */
export class FakeKeyHook {
  private readonly listeners = new Set<(key: string) => void>();
  disposed = false;
  onKeyUp(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  dispose(): void {
    this.disposed = true;
  }
  release(key: string): void {
    for (const listener of this.listeners) listener(key);
  }
}

/** nativeTheme: the OS theme, switchable by a test (emits 'updated' like Electron). */
export class FakeNativeTheme extends EventEmitter {
  shouldUseDarkColors = true;
  themeSource: 'system' | 'light' | 'dark' = 'system';
  setOsDark(dark: boolean): void {
    this.shouldUseDarkColors = dark;
    this.emit('updated');
  }
}

export class FakePowerSaveBlocker {
  private next = 1;
  readonly active = new Map<number, string>();
  start(type: string): number {
    const id = this.next++;
    this.active.set(id, type);
    return id;
  }
  stop(id: number): boolean {
    return this.active.delete(id);
  }
  isStarted(id: number): boolean {
    return this.active.has(id);
  }
}

/**
 * One question from dialog.showMessageBox, waiting for the person like Electron's modal does: it
 * resolves only when a test answers it (by button label), with the index Electron would give.
 */
export class FakeMessageBox {
  answered: string | null = null;
  private resolveAnswer!: (value: { response: number; checkboxChecked: boolean }) => void;
  readonly result = new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
    this.resolveAnswer = resolve;
  });
  constructor(
    readonly window: FakeBrowserWindow | null,
    readonly options: { message: string; detail?: string; title?: string; buttons?: string[]; cancelId?: number; type?: string },
  ) {}
  /** Clicks the button with this label. */
  answer(label: string): void {
    if (this.answered !== null) throw new Error('this message box was answered already');
    const buttons = this.options.buttons?.length ? this.options.buttons : ['OK'];
    const index = buttons.indexOf(label);
    if (index < 0) throw new Error(`no button "${label}" (buttons: ${buttons.join(', ')})`);
    this.answered = label;
    this.resolveAnswer({ response: index, checkboxChecked: false });
  }
  /** Escape or the window's close button: Electron answers with cancelId. */
  dismiss(): void {
    if (this.answered !== null) throw new Error('this message box was answered already');
    this.answered = '';
    const buttons = this.options.buttons ?? [];
    const cancel =
      this.options.cancelId ??
      Math.max(
        0,
        buttons.findIndex((label) => /^(cancel|no)$/i.test(label)),
      );
    this.resolveAnswer({ response: cancel, checkboxChecked: false });
  }
}

export class FakeDialog {
  readonly shown: FakeMessageBox[] = [];
  private readonly waiters: Array<(box: FakeMessageBox) => void> = [];

  showMessageBox(
    windowOrOptions: FakeBrowserWindow | FakeMessageBox['options'],
    maybeOptions?: FakeMessageBox['options'],
  ): Promise<{ response: number; checkboxChecked: boolean }> {
    const window = windowOrOptions instanceof FakeBrowserWindow ? windowOrOptions : null;
    const options = window ? maybeOptions : (windowOrOptions as FakeMessageBox['options']);
    // Electron requires a message and refuses a destroyed parent.
    if (!options || typeof options.message !== 'string') throw new TypeError('Options must be an object with a message');
    if (window?.isDestroyed()) throw new TypeError('Object has been destroyed');
    const box = new FakeMessageBox(window, options);
    this.shown.push(box);
    for (const waiter of this.waiters.splice(0)) waiter(box);
    return box.result;
  }
  /** Message boxes nobody has answered yet. */
  open(): FakeMessageBox[] {
    return this.shown.filter((box) => box.answered === null);
  }
  /** The next message box that is (or will be) open. */
  next(): Promise<FakeMessageBox> {
    const open = this.open()[0];
    return open ? Promise.resolve(open) : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * net: online state, and fetch as Electron's net.fetch does it from main (no page, no CORS). Unit
 * tests answer requests themselves (answerServerInfo in boot.ts); with no handler a request fails
 * as with no network, so no test reaches a host by accident. The whole-app harness sends them out.
 */
export class FakeNet {
  online = true;
  readonly requests: string[] = [];
  handler: ((request: Request) => Promise<Response> | Response) | null = null;
  isOnline(): boolean {
    return this.online;
  }
  async fetch(input: string, init?: RequestInit): Promise<Response> {
    this.requests.push(input);
    const request = new Request(input, init);
    if (!this.handler) throw new TypeError('fetch failed');
    return this.handler(request);
  }
}

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

export class FakeElectron {
  readonly app = new FakeApp();
  readonly windows: FakeBrowserWindow[] = [];
  readonly ipcMain = new FakeIpcMain();
  readonly session = new FakeSession();
  readonly protocol = new FakeProtocol(this.app);
  readonly desktopCapturer = new FakeDesktopCapturer();
  readonly screen = new FakeScreen();
  readonly mediaAccess: Record<string, 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown'> = { screen: 'granted' };
  readonly openedExternally: string[] = [];
  readonly globalShortcut = new FakeGlobalShortcut();
  readonly nativeTheme = new FakeNativeTheme();
  readonly powerMonitor = new EventEmitter();
  readonly powerSaveBlocker = new FakePowerSaveBlocker();
  readonly dialog = new FakeDialog();
  readonly net = new FakeNet();
  /** Whether the OS reports a network (net.isOnline). */
  get online(): boolean {
    return this.net.online;
  }
  set online(value: boolean) {
    this.net.online = value;
  }

  constructor() {
    FakeNotification.instances.length = 0;
    FakeTray.instances.length = 0;
    FakeNotification.supported = true;
  }

  /** The modules object Parley's main process receives (cast once, here). */
  modules(): ElectronModules {
    const BrowserWindow = browserWindowClassFor(this);
    const modules = {
      app: this.app,
      BrowserWindow,
      ipcMain: this.ipcMain,
      session: { defaultSession: this.session },
      protocol: this.protocol,
      desktopCapturer: this.desktopCapturer,
      screen: this.screen,
      systemPreferences: { getMediaAccessStatus: (type: string) => this.mediaAccess[type] ?? 'not-determined' },
      shell: {
        openExternal: async (url: string) => {
          this.openedExternally.push(url);
        },
      },
      dialog: this.dialog,
      Notification: FakeNotification,
      Tray: FakeTray,
      Menu: { buildFromTemplate: (items: Array<Record<string, unknown>>) => ({ items }) },
      nativeImage: { createFromPath: (path: string) => new FakeNativeImage(16, 16, path) },
      nativeTheme: this.nativeTheme,
      globalShortcut: this.globalShortcut,
      powerMonitor: this.powerMonitor,
      powerSaveBlocker: this.powerSaveBlocker,
      net: { isOnline: () => this.net.isOnline(), fetch: (input: string, init?: RequestInit) => this.net.fetch(input, init) },
      webContents: {
        fromFrame: (frame: FakeWebFrameMain) => (frame.detached ? undefined : frame.contents),
      },
    };
    return modules as unknown as ElectronModules;
  }

  windowsWithUrl(fragment: string): FakeBrowserWindow[] {
    return this.windows.filter((window) => !window.isDestroyed() && window.webContents.getURL().includes(fragment));
  }
}

export function createFakeElectron(): FakeElectron {
  return new FakeElectron();
}

// Electron's BrowserWindow takes only options; the subclass closes over the fake it belongs to.
function browserWindowClassFor(fake: FakeElectron): new (options: Record<string, unknown>) => FakeBrowserWindow {
  return class extends FakeBrowserWindow {
    constructor(options: Record<string, unknown>) {
      super(fake, options);
    }
  };
}
