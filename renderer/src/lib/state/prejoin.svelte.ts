// Pre-join: camera preview, device choice, mic level, remembered choices. The preview tracks are
// handed to the meeting on join so nobody sees a second camera prompt or a black flash.
import {
  createLocalAudioTrack,
  createLocalVideoTrack,
  Room,
  type LocalAudioTrack,
  type LocalTrack,
  type LocalVideoTrack,
} from 'livekit-client';
import { toOptions, type DeviceKind, type DeviceOption } from '../livekit/devices';
import { rememberBackgroundEffect, rememberedBackgroundEffect, type BackgroundEffect } from '../media/background-effect';
import { backgroundEffectsAvailable, setBackgroundEffect } from '../media/background-effect-loader';
import { cameraCaptureOptions } from '../media/camera';
import { audioCaptureOptions } from '../media/microphone';
import { observeAudioLevel } from '../livekit/level';
import { Disposer } from '../livekit/subscribable';
import { mediaProblem, type Problem } from '../problems';
import type { JoinTarget } from './screens';
import { DEFAULT_CHOICES, KEYS, load, PreJoinChoicesSchema, save, type PreJoinChoices } from '../storage';

/** What the pre-join screen needs from the app around it (AppState is one). */
export interface JoinFlow {
  readonly user: { displayName: string } | null;
  /** Why the last join did not go through. */
  readonly problem: Problem | null;
  readonly busy: boolean;
  /** The room is encrypted with a passphrase: ask for it. */
  readonly needsPassphrase: boolean;
  join(target: JoinTarget): Promise<void>;
  goHome(): void;
}

export class PreJoinState {
  choices = $state<PreJoinChoices>(load(KEYS.choices, PreJoinChoicesSchema, DEFAULT_CHOICES));
  videoTrack = $state.raw<LocalVideoTrack | null>(null);
  audioTrack = $state.raw<LocalAudioTrack | null>(null);
  level = $state(0);
  devices = $state<Record<DeviceKind, DeviceOption[]>>({ audioinput: [], videoinput: [], audiooutput: [] });
  cameraProblem = $state<Problem | null>(null);
  micProblem = $state<Problem | null>(null);
  busy = $state({ camera: false, microphone: false });
  backgroundEffect = $state.raw<BackgroundEffect>(rememberedBackgroundEffect());
  readonly effectsAvailable = backgroundEffectsAvailable().ok;
  effectProblem = $state<string | null>(null);
  /** Only for rooms encrypted with a shared passphrase; never stored. */
  passphrase = $state('');

  #disposer = new Disposer();
  /** Camera/microphone starts in flight; joining waits for them so no track is left behind. */
  #starting = new Set<Promise<void>>();
  #stopLevel: (() => void) | null = null;
  #handedOver = false;
  #stopped = false;

  constructor(defaultName = '') {
    if (!this.choices.displayName && defaultName) this.choices.displayName = defaultName;
  }

  #started = false;

  /**
   * Starts the preview. Idempotent: the screen may unmount and come back (waiting in the lobby,
   * then cancelling) while the tracks live on; AppState decides when they stop.
   */
  start(): () => void {
    if (this.#started) return () => this.stop();
    this.#started = true;
    this.#stopped = false;
    const onChange = (): void => void this.refreshDevices();
    navigator.mediaDevices?.addEventListener('devicechange', onChange);
    this.#disposer.add(() => navigator.mediaDevices?.removeEventListener('devicechange', onChange));
    void this.refreshDevices();
    if (this.choices.cameraEnabled) this.#track(this.#startCamera());
    if (this.choices.micEnabled) this.#track(this.#startMicrophone());
    return () => this.stop();
  }

  #track(p: Promise<void>): void {
    this.#starting.add(p);
    void p.finally(() => this.#starting.delete(p));
  }

  /** Resolves once every camera/microphone start that is under way has finished (or failed). */
  async settled(): Promise<void> {
    while (this.#starting.size > 0) await Promise.allSettled([...this.#starting]);
  }

  async refreshDevices(): Promise<void> {
    const all = await Room.getLocalDevices(undefined, false).catch(() => [] as MediaDeviceInfo[]);
    this.devices = {
      audioinput: toOptions(all, 'audioinput'),
      videoinput: toOptions(all, 'videoinput'),
      audiooutput: toOptions(all, 'audiooutput'),
    };
  }

  async #startCamera(): Promise<void> {
    this.busy.camera = true;
    this.cameraProblem = null;
    try {
      const track = await createLocalVideoTrack(cameraCaptureOptions(this.choices.videoInputId ?? undefined));
      if (this.#stopped) return track.stop(); // Left pre-join while the camera was starting.
      this.videoTrack?.stop();
      this.videoTrack = track;
      if (this.backgroundEffect.kind !== 'none') void this.#applyEffect(track, this.backgroundEffect);
      this.choices.videoInputId = track.mediaStreamTrack.getSettings().deviceId ?? this.choices.videoInputId;
      void this.refreshDevices(); // Labels appear once permission is granted.
    } catch (err) {
      this.cameraProblem = mediaProblem(err, 'camera');
      this.choices.cameraEnabled = false;
    } finally {
      this.busy.camera = false;
    }
  }

  async #startMicrophone(): Promise<void> {
    this.busy.microphone = true;
    this.micProblem = null;
    try {
      const track = await createLocalAudioTrack(
        audioCaptureOptions(this.choices.audioInputId ? { deviceId: this.choices.audioInputId } : {}),
      );
      if (this.#stopped) return track.stop();
      this.#setAudio(track);
      this.choices.audioInputId = track.mediaStreamTrack.getSettings().deviceId ?? this.choices.audioInputId;
      void this.refreshDevices();
    } catch (err) {
      this.micProblem = mediaProblem(err, 'microphone');
      this.choices.micEnabled = false;
    } finally {
      this.busy.microphone = false;
    }
  }

  #setAudio(track: LocalAudioTrack | null): void {
    this.#stopLevel?.();
    this.#stopLevel = null;
    this.audioTrack?.stop();
    this.audioTrack = track;
    this.level = 0;
    if (track) this.#stopLevel = observeAudioLevel(track.mediaStreamTrack).subscribe((l) => (this.level = l));
  }

  async #applyEffect(track: LocalVideoTrack, effect: BackgroundEffect): Promise<void> {
    const result = await setBackgroundEffect(track, effect);
    this.effectProblem = result.ok ? null : result.message;
    this.backgroundEffect = result.effect;
    rememberBackgroundEffect(result.effect);
  }

  async setBackground(effect: BackgroundEffect): Promise<void> {
    this.backgroundEffect = effect;
    rememberBackgroundEffect(effect);
    if (this.videoTrack) await this.#applyEffect(this.videoTrack, effect);
  }

  async setCamera(on: boolean): Promise<void> {
    this.choices.cameraEnabled = on;
    if (on) {
      const p = this.#startCamera();
      this.#track(p);
      await p;
    } else {
      this.videoTrack?.stop();
      this.videoTrack = null;
    }
  }

  async setMicrophone(on: boolean): Promise<void> {
    this.choices.micEnabled = on;
    if (on) {
      const p = this.#startMicrophone();
      this.#track(p);
      await p;
    } else this.#setAudio(null);
  }

  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    if (kind === 'videoinput') {
      this.choices.videoInputId = deviceId;
      if (this.choices.cameraEnabled) await this.setCamera(true);
    } else if (kind === 'audioinput') {
      this.choices.audioInputId = deviceId;
      if (this.choices.micEnabled) await this.setMicrophone(true);
    } else {
      this.choices.audioOutputId = deviceId;
    }
  }

  /** Gives the live tracks to the meeting; this state no longer stops them. */
  takeTracks(): LocalTrack[] {
    save(KEYS.choices, $state.snapshot(this.choices));
    this.#handedOver = true;
    this.#stopLevel?.();
    this.#stopLevel = null;
    const tracks: LocalTrack[] = [];
    if (this.videoTrack && this.choices.cameraEnabled) tracks.push(this.videoTrack);
    if (this.audioTrack && this.choices.micEnabled) tracks.push(this.audioTrack);
    return tracks;
  }

  /** The join failed before the meeting took over: the tracks are ours again. */
  reclaimTracks(): void {
    this.#handedOver = false;
    if (this.audioTrack) this.#stopLevel = observeAudioLevel(this.audioTrack.mediaStreamTrack).subscribe((l) => (this.level = l));
  }

  stop(): void {
    this.#stopped = true;
    this.#disposer.dispose();
    this.#stopLevel?.();
    this.#stopLevel = null;
    if (!this.#handedOver) {
      this.videoTrack?.stop();
      this.audioTrack?.stop();
    }
    this.videoTrack = null;
    this.audioTrack = null;
  }
}
