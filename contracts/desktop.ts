// The desktop bridge contract: every IPC channel between Parley's main process and its pages, the
// schema of what crosses it, and the DesktopApi the preload exposes as `window.parley`.
//
// Shared by main, preload and renderer, so it imports nothing but zod (no electron, node or DOM).
// Main validates every request and event against these schemas; the preload only imports types from
// here, which keeps zod out of the sandboxed preload bundle.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Origins and window roles
// ---------------------------------------------------------------------------------------------

export const APP_SCHEME = 'parley';
export const APP_HOST = 'app';
/** The only origin that may talk to the bridge. Deep links use the same scheme with host `join`. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Which of Parley's own windows a page lives in; each channel lists the roles allowed to use it. */
export const WindowRoleSchema = z.enum(['main', 'picker', 'share-bar']);
export type WindowRole = z.infer<typeof WindowRoleSchema>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ErrorCodeSchema = z.enum([
  'IPC_FORBIDDEN_SENDER',
  'IPC_INVALID_PAYLOAD',
  'IPC_UNKNOWN_CHANNEL',
  'INTERNAL',
  'PICKER_STALE_REQUEST',
  'PICKER_UNKNOWN_SOURCE',
  'EXTERNAL_URL_REJECTED',
  'SETTINGS_INVALID',
  'LOCAL_HOST_UNAVAILABLE',
  'LOCAL_HOST_FAILED',
  'UPDATE_UNAVAILABLE',
  'UPDATE_BUSY',
  /** The person said no when asked to add a team server. */
  'SERVER_DECLINED',
  /** A team server the app has not saved, or a link offer that is gone. */
  'SERVER_UNKNOWN',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const BridgeErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string().max(500) });
export type BridgeErrorInfo = z.infer<typeof BridgeErrorSchema>;

/**
 * contextBridge copies only an Error's message into the page, so a failed bridge call rejects with
 * an Error whose message starts with `[CODE]`. Use this to get the code back.
 */
export function bridgeErrorCode(error: unknown): ErrorCode | null {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const match = /\[([A-Z_]+)\]/.exec(message);
  const parsed = ErrorCodeSchema.safeParse(match?.[1]);
  return parsed.success ? parsed.data : null;
}

// ---------------------------------------------------------------------------------------------
// Shared value schemas
// ---------------------------------------------------------------------------------------------

/** A team server base URL. http is allowed because a LAN host (Host on this computer) has no TLS. */
export const ServerUrlSchema = z.url({ protocol: /^https?$/, hostname: /^[A-Za-z0-9.\-[\]:]+$/ }).max(2048);

export const RoomNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'room names are 1-64 of A-Z a-z 0-9 . _ -');

const DisplayText = z.string().max(200);

/** Electron accelerator syntax, a few modifiers plus one key. */
export const AcceleratorSchema = z
  .string()
  .max(100)
  .regex(
    /^(?:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+){0,4}(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|Plus|[`\-=[\];',./\\])$/,
    'not an Electron accelerator',
  );

export const RoomRefSchema = z.object({
  serverUrl: ServerUrlSchema,
  room: RoomNameSchema,
  title: DisplayText.optional(),
});
export type RoomRef = z.infer<typeof RoomRefSchema>;

// ---------------------------------------------------------------------------------------------
// Settings (persisted by main, edited by the renderer's settings screen)
// ---------------------------------------------------------------------------------------------

/** A certificate's public key pin: base64 of the SHA-256 of its SubjectPublicKeyInfo (as HPKP and Chromium write it). */
export const CertificatePinSchema = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'not a SHA-256 public key pin');

export const TeamServerSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(100),
  url: ServerUrlSchema,
  /**
   * A LAN host's own certificate (Host on this computer on another computer): trusted for this
   * server only, because its pin came in the link that person shared.
   */
  pin: CertificatePinSchema.optional(),
});
export type TeamServer = z.infer<typeof TeamServerSchema>;

const DeviceId = z.string().max(512).nullable();

export const SettingsSchema = z.object({
  version: z.literal(1),
  teamServers: z.array(TeamServerSchema).max(50),
  devices: z.object({ audioInputId: DeviceId, audioOutputId: DeviceId, videoInputId: DeviceId }),
  shortcuts: z.object({
    /** Off by default: a global shortcut takes the key away from every other app. */
    enabled: z.boolean(),
    pushToTalk: AcceleratorSchema.nullable(),
    toggleMute: AcceleratorSchema.nullable(),
  }),
  notifications: z.object({ enabled: z.boolean() }),
  /** Closing the window while in a call hides it to the tray instead of leaving. */
  closeToTray: z.boolean(),
  screenShare: z.object({
    /** macOS 15+: let the system picker replace Parley's picker. */
    preferSystemPicker: z.boolean(),
  }),
  localHost: z.object({
    enabled: z.boolean(),
    port: z.number().int().min(1024).max(65535),
    /** Let teammates on the LAN join (over TLS), not only this computer. */
    lanVisible: z.boolean(),
    /** Which of this computer's addresses the links use, when it has several; null: the first. */
    lanAddress: z.ipv4().nullable().default(null),
  }),
  updates: z.object({ automatic: z.boolean() }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Settings updates replace whole sections; `version` is owned by main. */
export const SettingsPatchSchema = SettingsSchema.omit({ version: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  teamServers: [],
  devices: { audioInputId: null, audioOutputId: null, videoInputId: null },
  shortcuts: { enabled: false, pushToTalk: null, toggleMute: null },
  notifications: { enabled: true },
  closeToTray: true,
  screenShare: { preferSystemPicker: false },
  // Loopback only until the person chooses to let the LAN in (Settings → Host on this computer).
  localHost: { enabled: false, port: 7800, lanVisible: false, lanAddress: null },
  updates: { automatic: true },
};

// ---------------------------------------------------------------------------------------------
// App, navigation, call state
// ---------------------------------------------------------------------------------------------

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux']),
  packaged: z.boolean(),
  features: z.object({
    /** The OS picker (macOS 15+) can replace Parley's picker. */
    systemPicker: z.boolean(),
    /** "Share audio" can be offered for screen shares on this platform. */
    shareAudio: z.boolean(),
    /** Linux Wayland: sharing goes through the PipeWire portal picker. */
    waylandPortal: z.boolean(),
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const MeetingPanelSchema = z.enum(['chat', 'participants', 'lobby']);

/**
 * A link to a server the app has not used (or with a certificate pin it has not seen for it): the
 * renderer asks the person, showing the origin, before anything talks to that server. Continuing is
 * `servers.add({ from: 'link', offer })`; main saved nothing yet.
 */
export const LinkOfferSchema = z.object({
  offer: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  reason: z.enum(['new-server', 'new-certificate']),
});
export type LinkOffer = z.infer<typeof LinkOfferSchema>;

/** Sent by main when a deep link or a notification click should bring up a view. */
export const NavigationSchema = z.discriminatedUnion('view', [
  z.object({
    view: z.literal('join'),
    room: RoomRefSchema,
    source: z.enum(['deep-link', 'notification']),
    /** A LAN host's certificate pin that came with the link. */
    pin: CertificatePinSchema.optional(),
    /** Present when the person must be asked first. */
    confirm: LinkOfferSchema.optional(),
  }),
  /** A link to a team server with no room in it (Host on this computer's link): sign in there. */
  z.object({
    view: z.literal('connect'),
    serverUrl: ServerUrlSchema,
    pin: CertificatePinSchema.optional(),
    confirm: LinkOfferSchema.optional(),
  }),
  z.object({ view: z.literal('meeting'), panel: MeetingPanelSchema.nullable() }),
  z.object({ view: z.literal('settings') }),
]);
export type Navigation = z.infer<typeof NavigationSchema>;

/** What the renderer reports so main can drive the tray, shortcuts, notifications and share bar. */
export const CallStateSchema = z.object({
  inCall: z.boolean(),
  room: RoomRefSchema.nullable(),
  microphoneEnabled: z.boolean(),
  cameraEnabled: z.boolean(),
  sharingScreen: z.boolean(),
  isHost: z.boolean(),
  /**
   * Not in a call now, but one dropped (connection lost, or left while the computer went to sleep)
   * and should be joined again, with camera and microphone off, once the computer or network is back.
   */
  rejoinPending: z.boolean(),
});
export type CallState = z.infer<typeof CallStateSchema>;

export const IDLE_CALL_STATE: CallState = {
  inCall: false,
  room: null,
  microphoneEnabled: false,
  cameraEnabled: false,
  sharingScreen: false,
  isHost: false,
  rejoinPending: false,
};

export const CallControlSchema = z.object({
  action: z.enum(['toggle-microphone', 'toggle-camera', 'push-to-talk-start', 'push-to-talk-end', 'leave']),
  source: z.enum(['tray', 'shortcut']),
});
export type CallControl = z.infer<typeof CallControlSchema>;

/**
 * Power and network changes. `recoverCall` asks the renderer to reconnect the call; it must never
 * turn the camera or microphone back on by itself afterwards.
 */
export const PowerEventSchema = z.object({
  kind: z.enum(['suspend', 'resume', 'lock-screen', 'unlock-screen', 'network-offline', 'network-online']),
  recoverCall: z.boolean(),
});
export type PowerEvent = z.infer<typeof PowerEventSchema>;

export const ShareStopSchema = z.object({ reason: z.enum(['user', 'source-closed', 'display-removed']) });
export type ShareStop = z.infer<typeof ShareStopSchema>;

export const ExternalUrlSchema = z.object({ url: z.string().max(4096) });

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

const PersonName = z.string().min(1).max(100);

export const NotificationRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('participant-joined'), room: RoomRefSchema, participantName: PersonName }),
  z.object({ kind: z.literal('chat-message'), room: RoomRefSchema, from: PersonName, text: z.string().min(1).max(4000) }),
  z.object({ kind: z.literal('hand-raised'), room: RoomRefSchema, participantName: PersonName }),
  z.object({ kind: z.literal('lobby-guest'), room: RoomRefSchema, guestName: PersonName }),
  /** startedBy is absent when the team server does not say who started it. */
  z.object({ kind: z.literal('meeting-started'), room: RoomRefSchema, startedBy: PersonName.optional() }),
]);
export type NotificationRequest = z.infer<typeof NotificationRequestSchema>;

export const NotificationResultSchema = z.object({
  shown: z.boolean(),
  reason: z.enum(['shown', 'disabled', 'window-focused', 'not-host', 'unsupported']),
});
export type NotificationResult = z.infer<typeof NotificationResultSchema>;

// ---------------------------------------------------------------------------------------------
// Shortcuts, screen access
// ---------------------------------------------------------------------------------------------

const ShortcutRegistration = z.enum(['off', 'registered', 'unavailable']);
export const ShortcutStatusSchema = z.object({
  pushToTalk: ShortcutRegistration,
  toggleMute: ShortcutRegistration,
  /**
   * How releasing push-to-talk is noticed here: `key-up` (a key hook sees it), `repeats-stop` (the
   * OS repeats a held key; talking ends shortly after the repeats stop) or `press-again` (macOS
   * without Input Monitoring: press once to talk, again to stop).
   */
  pushToTalkRelease: z.enum(['key-up', 'repeats-stop', 'press-again']),
});
export type ShortcutStatus = z.infer<typeof ShortcutStatusSchema>;

export const ScreenAccessSchema = z.object({
  status: z.enum(['granted', 'denied', 'not-determined', 'restricted', 'unknown']),
});
export type ScreenAccess = z.infer<typeof ScreenAccessSchema>;

// ---------------------------------------------------------------------------------------------
// Screen share picker and share bar
// ---------------------------------------------------------------------------------------------

const MAX_IMAGE_DATA_URL = 3_000_000;
const ImageDataUrl = z
  .string()
  .max(MAX_IMAGE_DATA_URL)
  .regex(/^data:image\/(?:png|jpeg);base64,[A-Za-z0-9+/=]+$/);

export const PickerSourceSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.enum(['screen', 'window']),
  /** What the OS calls it (window title, "Screen 1"). */
  name: z.string().max(500),
  /** What Parley shows: screens are named so several monitors can be told apart. */
  label: z.string().max(500),
  thumbnail: ImageDataUrl.nullable(),
  appIcon: ImageDataUrl.nullable(),
});
export type PickerSource = z.infer<typeof PickerSourceSchema>;

export const PickerStateSchema = z.object({
  requestId: z.string().min(1).max(100),
  /** `screen-permission-needed`: macOS has not granted screen recording; explain how instead. */
  mode: z.enum(['choose', 'screen-permission-needed']),
  sources: z.array(PickerSourceSchema).max(500),
  /** True until the first list with thumbnails arrived. */
  loadingThumbnails: z.boolean(),
  audio: z.object({ supported: z.boolean(), requested: z.boolean() }),
});
export type PickerState = z.infer<typeof PickerStateSchema>;

export const PickerChoiceSchema = z.object({
  requestId: z.string().min(1).max(100),
  sourceId: z.string().min(1).max(200),
  shareAudio: z.boolean(),
});
export type PickerChoice = z.infer<typeof PickerChoiceSchema>;

export const PickerCancelSchema = z.object({ requestId: z.string().min(1).max(100) });

export const ShareBarStateSchema = z.object({ sourceName: z.string().max(500) });
export type ShareBarState = z.infer<typeof ShareBarStateSchema>;

// ---------------------------------------------------------------------------------------------
// Host on this computer, updates
// ---------------------------------------------------------------------------------------------

export const LocalHostStatusSchema = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'error']),
  /** What this computer's own app uses (loopback). */
  url: z.string().nullable(),
  /** What other computers on the LAN open (https, with the fingerprint below); empty when loopback only. */
  lanUrls: z.array(z.string()),
  /** SHA-256 fingerprint of the LAN certificate, "AB:CD:…", for people to compare; null when loopback only. */
  fingerprint: z.string().max(200).nullable(),
  /** The same certificate's public key pin, for parley:// links (the desktop app on another computer trusts it). */
  pin: CertificatePinSchema.nullable(),
  /** The one-time code that makes the first account the team's admin, until someone has used it. */
  setupCode: z.string().max(100).nullable(),
  /** Who is in a meeting on this server right now, by room. */
  connected: z.array(z.object({ room: z.string().max(100), names: z.array(z.string().max(100)).max(500) })).max(200),
  error: BridgeErrorSchema.nullable(),
});
export type LocalHostStatus = z.infer<typeof LocalHostStatusSchema>;

export const UpdateStatusSchema = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'available', 'not-available', 'downloading', 'downloaded', 'error']),
  version: z.string().max(100).nullable(),
  percent: z.number().min(0).max(100).nullable(),
  error: BridgeErrorSchema.nullable(),
  /** Where updates come from: the feed a saved team server's operator set, and that server. */
  feed: z.object({ url: z.string().max(2048), server: z.string().max(2048) }).nullable(),
  /**
   * Why updates are off (state `disabled`): not an installed build; switched off in Settings; no
   * saved team server offers a feed; Linux (its packages carry no signature the updater can check);
   * a Windows build without a publisher to verify updates against.
   */
  disabledReason: z.enum(['unpackaged', 'settings', 'no-feed', 'unverifiable-platform', 'unsigned-build']).nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Team servers: adding one, and what main learns from each
// ---------------------------------------------------------------------------------------------

/**
 * Adding a team server lets the app's pages talk to it (the CSP follows the saved servers), so a
 * page cannot add one by itself: a server typed by the person is confirmed in a dialog of main's;
 * one from a link needs the offer main made for that link (the person confirmed it in the app).
 */
export const AddServerRequestSchema = z.discriminatedUnion('from', [
  z.object({ from: z.literal('typed'), url: ServerUrlSchema, name: z.string().trim().min(1).max(100).optional() }).strict(),
  z.object({ from: z.literal('link'), offer: LinkOfferSchema.shape.offer }).strict(),
]);
export type AddServerRequest = z.infer<typeof AddServerRequestSchema>;

/** `reload`: the page's CSP predates what the app now allows; load it again before using the server. */
export const ServerReadySchema = z.object({ server: TeamServerSchema, reload: z.boolean() });
export type ServerReady = z.infer<typeof ServerReadySchema>;

export const SyncServerRequestSchema = z.object({ url: ServerUrlSchema }).strict();
export const SyncServerResultSchema = z.object({ reload: z.boolean() });
export type SyncServerResult = z.infer<typeof SyncServerResultSchema>;

// ---------------------------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------------------------

const Nothing = z.undefined();
const Done = z.null();

interface InvokeSpec {
  readonly audience: readonly WindowRole[];
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}
interface EventSpec {
  readonly audience: readonly WindowRole[];
  readonly payload: z.ZodType;
}

/** Page -> main calls (ipcRenderer.invoke / ipcMain.handle). */
export const invokeChannels = {
  'app:get-info': { audience: ['main'], request: Nothing, response: AppInfoSchema },
  'app:ready': { audience: ['main'], request: Nothing, response: Done },
  'app:open-external': { audience: ['main'], request: ExternalUrlSchema, response: Done },
  'settings:get': { audience: ['main'], request: Nothing, response: SettingsSchema },
  'settings:update': { audience: ['main'], request: SettingsPatchSchema, response: SettingsSchema },
  'servers:add': { audience: ['main'], request: AddServerRequestSchema, response: ServerReadySchema },
  'servers:sync': { audience: ['main'], request: SyncServerRequestSchema, response: SyncServerResultSchema },
  'call:update-state': { audience: ['main'], request: CallStateSchema, response: Done },
  'notification:show': { audience: ['main'], request: NotificationRequestSchema, response: NotificationResultSchema },
  'shortcuts:get-status': { audience: ['main'], request: Nothing, response: ShortcutStatusSchema },
  'screen:get-access': { audience: ['main', 'picker'], request: Nothing, response: ScreenAccessSchema },
  'screen:open-settings': { audience: ['main', 'picker'], request: Nothing, response: Done },
  'picker:get-state': { audience: ['picker'], request: Nothing, response: PickerStateSchema },
  'picker:choose': { audience: ['picker'], request: PickerChoiceSchema, response: Done },
  'picker:cancel': { audience: ['picker'], request: PickerCancelSchema, response: Done },
  'share-bar:get-state': { audience: ['share-bar'], request: Nothing, response: ShareBarStateSchema },
  'share-bar:stop': { audience: ['share-bar'], request: Nothing, response: Done },
  'local-host:get-status': { audience: ['main'], request: Nothing, response: LocalHostStatusSchema },
  'local-host:start': { audience: ['main'], request: Nothing, response: LocalHostStatusSchema },
  'local-host:stop': { audience: ['main'], request: Nothing, response: LocalHostStatusSchema },
  'update:get-status': { audience: ['main'], request: Nothing, response: UpdateStatusSchema },
  'update:check': { audience: ['main'], request: Nothing, response: UpdateStatusSchema },
  'update:install': { audience: ['main'], request: Nothing, response: Done },
} as const satisfies Record<string, InvokeSpec>;

/** Main -> page events (webContents.send / ipcRenderer.on). */
export const eventChannels = {
  'app:navigate': { audience: ['main'], payload: NavigationSchema },
  'settings:changed': { audience: ['main'], payload: SettingsSchema },
  'call:control': { audience: ['main'], payload: CallControlSchema },
  'system:power': { audience: ['main'], payload: PowerEventSchema },
  'share:stop': { audience: ['main'], payload: ShareStopSchema },
  'picker:state': { audience: ['picker'], payload: PickerStateSchema },
  'share-bar:state': { audience: ['share-bar'], payload: ShareBarStateSchema },
  'local-host:status': { audience: ['main'], payload: LocalHostStatusSchema },
  'update:status': { audience: ['main'], payload: UpdateStatusSchema },
} as const satisfies Record<string, EventSpec>;

export type InvokeChannels = typeof invokeChannels;
export type EventChannels = typeof eventChannels;
export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<InvokeChannels[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<InvokeChannels[C]['response']>;
export type EventPayload<C extends EventChannel> = z.output<EventChannels[C]['payload']>;

/** Every invoke answer is wrapped so error codes survive the trip. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: BridgeErrorInfo };

// ---------------------------------------------------------------------------------------------
// The bridge as the page sees it: `window.parley`
// ---------------------------------------------------------------------------------------------

export type Unsubscribe = () => void;

export interface DesktopApi {
  readonly app: {
    getInfo(): Promise<AppInfo>;
    /** Call once the page has subscribed to onNavigate; main then delivers queued deep links. */
    ready(): Promise<void>;
    /**
     * Opens an http(s) URL in the default browser (after asking, when it is not on a team server);
     * anything else rejects with EXTERNAL_URL_REJECTED.
     */
    openExternal(url: string): Promise<void>;
    onNavigate(listener: (navigation: Navigation) => void): Unsubscribe;
  };
  readonly settings: {
    get(): Promise<Settings>;
    update(patch: SettingsPatch): Promise<Settings>;
    onChanged(listener: (settings: Settings) => void): Unsubscribe;
  };
  readonly servers: {
    /** Saves a team server (asking first, see AddServerRequestSchema); rejects with SERVER_DECLINED or SERVER_UNKNOWN. */
    add(request: AddServerRequest): Promise<ServerReady>;
    /** Main asks that saved server what it hands out (its SFU, its update feed) and says whether the page must reload. */
    sync(url: string): Promise<SyncServerResult>;
  };
  readonly call: {
    /** Report on every change of the call; drives tray, shortcuts, notifications and the share bar. */
    updateState(state: CallState): Promise<void>;
    onControl(listener: (control: CallControl) => void): Unsubscribe;
    /** Stop the screen share (from the share bar, or its source went away). */
    onShareStop(listener: (stop: ShareStop) => void): Unsubscribe;
  };
  readonly system: {
    onPower(listener: (event: PowerEvent) => void): Unsubscribe;
    getScreenAccess(): Promise<ScreenAccess>;
    openScreenSettings(): Promise<void>;
  };
  readonly notifications: {
    show(request: NotificationRequest): Promise<NotificationResult>;
  };
  readonly shortcuts: {
    getStatus(): Promise<ShortcutStatus>;
  };
  readonly picker: {
    getState(): Promise<PickerState>;
    onState(listener: (state: PickerState) => void): Unsubscribe;
    choose(choice: PickerChoice): Promise<void>;
    cancel(requestId: string): Promise<void>;
  };
  readonly shareBar: {
    getState(): Promise<ShareBarState>;
    onState(listener: (state: ShareBarState) => void): Unsubscribe;
    stop(): Promise<void>;
  };
  readonly localHost: {
    getStatus(): Promise<LocalHostStatus>;
    start(): Promise<LocalHostStatus>;
    stop(): Promise<LocalHostStatus>;
    onStatus(listener: (status: LocalHostStatus) => void): Unsubscribe;
  };
  readonly updates: {
    getStatus(): Promise<UpdateStatus>;
    check(): Promise<UpdateStatus>;
    install(): Promise<void>;
    onStatus(listener: (status: UpdateStatus) => void): Unsubscribe;
  };
}
