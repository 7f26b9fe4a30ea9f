// Media device lists that follow plug/unplug, and the device a Room is using right now.
import { createActiveDeviceObservable, createMediaDeviceObserver } from '@livekit/components-core';
import type { Room } from 'livekit-client';
import { startWith } from 'rxjs';
import { fromObservable, type Subscribable } from './subscribable';

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export function toOptions(devices: readonly MediaDeviceInfo[], kind: DeviceKind): DeviceOption[] {
  let n = 0;
  return devices
    .filter((d) => d.kind === kind && d.deviceId !== '')
    .map((d) => {
      n += 1;
      const fallback = kind === 'audioinput' ? `Microphone ${n}` : kind === 'videoinput' ? `Camera ${n}` : `Speaker ${n}`;
      return { deviceId: d.deviceId, label: d.label || fallback };
    });
}

export function observeDevices(kind: DeviceKind): Subscribable<DeviceOption[]> {
  const inner = fromObservable(createMediaDeviceObserver(kind, undefined, false));
  return { subscribe: (run) => inner.subscribe((list) => run(toOptions(list, kind))) };
}

export function observeActiveDevice(room: Room, kind: DeviceKind): Subscribable<string | undefined> {
  // components-core's observable only reports changes; the menu needs the device in use now too.
  return fromObservable(createActiveDeviceObservable(room, kind).pipe(startWith(room.getActiveDevice(kind))));
}

export function supportsOutputSelection(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}
