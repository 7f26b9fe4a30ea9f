// What Parley asks the microphone for (Chromium's own processing, switchable) and how voice is published.
import { AudioPresets, type AudioCaptureOptions, type TrackPublishOptions } from 'livekit-client';

/** What the person can switch in settings. Both default on (Chromium's built-in processing). */
export interface AudioProcessingSettings {
  noiseSuppression: boolean;
  echoCancellation: boolean;
  autoGainControl: boolean;
  deviceId?: string;
}

const DEFAULT_AUDIO_PROCESSING: Readonly<AudioProcessingSettings> = Object.freeze({
  noiseSuppression: true,
  echoCancellation: true,
  autoGainControl: true,
});

export function audioCaptureOptions(settings: Partial<AudioProcessingSettings> = {}): AudioCaptureOptions {
  const s = { ...DEFAULT_AUDIO_PROCESSING, ...settings };
  return {
    noiseSuppression: s.noiseSuppression,
    echoCancellation: s.echoCancellation,
    autoGainControl: s.autoGainControl,
    // Mono voice: stereo doubles the bitrate and defeats echo cancellation in Chromium.
    channelCount: 1,
    ...(s.deviceId ? { deviceId: { exact: s.deviceId } } : {}),
  };
}

export function audioPublishOptions(): TrackPublishOptions {
  return {
    // Opus DTX: silence costs ~nothing. RED: each packet repeats the previous frame, so one lost
    // packet is not heard. (livekit-client turns RED off by itself when E2EE is on.)
    dtx: true,
    red: true,
    audioPreset: AudioPresets.speech,
  };
}
