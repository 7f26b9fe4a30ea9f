// What screen sharing can do on this machine. Pure: the inputs are read once in index.ts.
export interface PlatformFacts {
  platform: NodeJS.Platform;
  /** process.getSystemVersion(): "15.1.0" on macOS, "10.0.22631" on Windows. */
  systemVersion: string;
  env: { XDG_SESSION_TYPE?: string | undefined; WAYLAND_DISPLAY?: string | undefined };
  /** The --ozone-platform switch, if any; "x11" forces XWayland. */
  ozonePlatform: string;
}

export interface ShareCapabilities {
  /** `wayland-portal`: the PipeWire portal is the only picker; Parley never shows its own. */
  picker: 'parley' | 'wayland-portal';
  /** macOS 15+: the OS picker can replace Parley's (useSystemPicker). */
  systemPickerAvailable: boolean;
  /** System audio can ride along with a screen share ("share audio"). */
  audio: boolean;
  /** macOS gates capture behind the Screen Recording privacy permission. */
  screenRecordingPermission: boolean;
}

function majorVersion(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isFinite(major) ? major : 0;
}

export function isWayland(facts: PlatformFacts): boolean {
  if (facts.platform !== 'linux') return false;
  if (facts.ozonePlatform === 'x11') return false;
  if (facts.ozonePlatform === 'wayland') return true;
  return facts.env.XDG_SESSION_TYPE === 'wayland' || Boolean(facts.env.WAYLAND_DISPLAY);
}

export function detectShareCapabilities(facts: PlatformFacts): ShareCapabilities {
  const macMajor = facts.platform === 'darwin' ? majorVersion(facts.systemVersion) : 0;
  return {
    picker: isWayland(facts) ? 'wayland-portal' : 'parley',
    systemPickerAvailable: macMajor >= 15,
    // Windows: WASAPI loopback. macOS 13+: ScreenCaptureKit / Core Audio taps loopback (index.ts
    // enables MacSckSystemAudioLoopbackOverride, which macOS 15+ needs). Linux has no loopback.
    audio: facts.platform === 'win32' || macMajor >= 13,
    screenRecordingPermission: facts.platform === 'darwin',
  };
}

/** Chromium features that have to be switched on before `ready` for the capabilities above. */
export function requiredChromiumFeatures(facts: PlatformFacts): string[] {
  return facts.platform === 'darwin' ? ['MacSckSystemAudioLoopbackOverride'] : [];
}
