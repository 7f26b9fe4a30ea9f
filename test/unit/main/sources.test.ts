// Several monitors are named so a person can tell them apart.
import { describe, expect, it } from 'vitest';
import { isOwnWindow, screenLabels } from '@main/display-media/sources';
import { detectShareCapabilities } from '@main/display-media/platform';
import { fakeDisplay } from '../../support/electron-fake';
import type { DesktopCapturerSource, Display } from 'electron';

const source = (id: string, displayId: string): DesktopCapturerSource =>
  ({ id, name: 'Screen', display_id: displayId }) as DesktopCapturerSource;

describe('screen labels', () => {
  it('one screen is just "Entire screen"', () => {
    expect([...screenLabels([source('screen:0:0', '1')], [fakeDisplay(1, 0, 1920, 1080)] as unknown as Display[], 1).values()]).toEqual([
      'Entire screen',
    ]);
  });

  it('numbers several screens left to right with position, primary, model and resolution', () => {
    const displays = [
      fakeDisplay(7, 1920, 2560, 1440, { label: 'DELL U2720Q', scaleFactor: 1.5 }),
      fakeDisplay(3, 0, 1440, 900, { label: 'Built-in Retina Display', internal: true, scaleFactor: 2 }),
      fakeDisplay(9, 4480, 1920, 1080, { label: 'DELL U2720Q' }),
    ] as unknown as Display[];
    const labels = screenLabels([source('screen:1:0', '7'), source('screen:0:0', '3'), source('screen:2:0', '9')], displays, 7);
    expect(labels.get('screen:0:0')).toBe('Screen 1 (left, built-in) — Built-in Retina Display, 2880 × 1800');
    expect(labels.get('screen:1:0')).toBe('Screen 2 (middle, primary) — DELL U2720Q, 3840 × 2160');
    expect(labels.get('screen:2:0')).toBe('Screen 3 (right) — DELL U2720Q, 1920 × 1080');
  });

  it('still numbers screens whose display is unknown', () => {
    const labels = screenLabels([source('screen:0:0', ''), source('screen:1:0', '')], [], 1);
    expect([...labels.values()].sort()).toEqual(['Screen 1', 'Screen 2']);
  });

  it("recognises this process's own windows", () => {
    expect(isOwnWindow('window:303:1')).toBe(true);
    expect(isOwnWindow('window:303:0')).toBe(false);
    expect(isOwnWindow('screen:0:0')).toBe(false);
  });
});

describe('share capabilities', () => {
  it('per platform', () => {
    expect(
      detectShareCapabilities({ platform: 'linux', systemVersion: '', env: { WAYLAND_DISPLAY: 'wayland-0' }, ozonePlatform: '' }),
    ).toMatchObject({ picker: 'wayland-portal', audio: false });
    expect(
      detectShareCapabilities({ platform: 'linux', systemVersion: '', env: { WAYLAND_DISPLAY: 'wayland-0' }, ozonePlatform: 'x11' }),
    ).toMatchObject({ picker: 'parley' });
    expect(detectShareCapabilities({ platform: 'win32', systemVersion: '10.0', env: {}, ozonePlatform: '' })).toMatchObject({
      picker: 'parley',
      audio: true,
      systemPickerAvailable: false,
    });
    expect(detectShareCapabilities({ platform: 'darwin', systemVersion: '12.7', env: {}, ozonePlatform: '' })).toMatchObject({
      audio: false,
      screenRecordingPermission: true,
    });
    expect(detectShareCapabilities({ platform: 'darwin', systemVersion: '15.0', env: {}, ozonePlatform: '' })).toMatchObject({
      audio: true,
      systemPickerAvailable: true,
    });
  });
});
