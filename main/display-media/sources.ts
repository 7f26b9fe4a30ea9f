// Lists what can be shared, shaped for the picker: named so people can tell monitors apart, with
// thumbnails and app icons as data URLs (nothing but plain data crosses into the picker page).
import type { DesktopCapturer, DesktopCapturerSource, Display, NativeImage, Screen } from 'electron';
import type { PickerSource } from '@contracts/desktop';

export interface SourceListerDeps {
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
  thumbnailSize?: { width: number; height: number };
}

/** A picker source plus what main keeps to itself. */
export interface ListedSource extends PickerSource {
  /** For screens, the matching Display id (to notice it being unplugged). */
  displayId: string | null;
}

export interface SourceLister {
  /** `thumbnails: false` is the fast first list; the picker shows names while images load. */
  list(options: { thumbnails: boolean }): Promise<ListedSource[]>;
  /** Ids currently available, cheap (no images); used to notice a shared window closing. */
  currentIds(kind: 'screen' | 'window'): Promise<Set<string>>;
}

const ICON_SIZE = 32;

function imageToDataUrl(image: NativeImage | null | undefined, format: 'png' | 'jpeg'): string | null {
  if (!image || image.isEmpty()) return null;
  if (format === 'png') return image.toDataURL();
  return `data:image/jpeg;base64,${image.toJPEG(72).toString('base64')}`;
}

/** Windows of this process (picker, share bar, Parley itself) have ids ending in ":1". */
export function isOwnWindow(sourceId: string): boolean {
  return /^window:\d+:1$/.test(sourceId);
}

export function screenLabels(
  sources: readonly DesktopCapturerSource[],
  displays: readonly Display[],
  primaryId: number,
): Map<string, string> {
  const screens = sources.filter((source) => source.id.startsWith('screen:'));
  const labels = new Map<string, string>();
  if (screens.length === 1 && screens[0]) {
    labels.set(screens[0].id, 'Entire screen');
    return labels;
  }
  const withDisplay = screens.map((source) => ({
    source,
    display: displays.find((display) => String(display.id) === source.display_id),
  }));
  // Number screens left to right (then top to bottom) so "Screen 1" is the leftmost one on the desk.
  withDisplay.sort((a, b) => {
    const ax = a.display?.bounds.x ?? Number.MAX_SAFE_INTEGER;
    const bx = b.display?.bounds.x ?? Number.MAX_SAFE_INTEGER;
    return ax - bx || (a.display?.bounds.y ?? 0) - (b.display?.bounds.y ?? 0);
  });
  withDisplay.forEach(({ source, display }, index) => {
    const details: string[] = [];
    if (display) {
      if (index === 0) details.push('left');
      else if (index === withDisplay.length - 1) details.push('right');
      else details.push('middle');
      if (display.id === primaryId) details.push('primary');
      if (display.internal) details.push('built-in');
    }
    const name = display?.label ? ` — ${display.label}` : '';
    const size = display
      ? `, ${Math.round(display.size.width * display.scaleFactor)} × ${Math.round(display.size.height * display.scaleFactor)}`
      : '';
    const suffix = details.length > 0 ? ` (${details.join(', ')})` : '';
    labels.set(source.id, `Screen ${index + 1}${suffix}${name}${size}`);
  });
  return labels;
}

export function createSourceLister(deps: SourceListerDeps): SourceLister {
  const thumbnailSize = deps.thumbnailSize ?? { width: 320, height: 180 };

  return {
    async list({ thumbnails }) {
      const sources = await deps.desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: thumbnails ? thumbnailSize : { width: 0, height: 0 },
        fetchWindowIcons: thumbnails,
      });
      const labels = screenLabels(sources, deps.screen.getAllDisplays(), deps.screen.getPrimaryDisplay().id);
      return (
        sources
          .filter((source) => !isOwnWindow(source.id))
          .map((source): ListedSource => {
            const kind = source.id.startsWith('screen:') ? 'screen' : 'window';
            return {
              id: source.id,
              kind,
              name: source.name.slice(0, 500),
              label: (labels.get(source.id) ?? source.name).slice(0, 500),
              thumbnail: thumbnails ? imageToDataUrl(source.thumbnail, 'jpeg') : null,
              appIcon:
                thumbnails && kind === 'window'
                  ? imageToDataUrl(source.appIcon?.resize({ width: ICON_SIZE, height: ICON_SIZE }), 'png')
                  : null,
              displayId: kind === 'screen' && source.display_id ? source.display_id : null,
            };
          })
          // Screens first, then windows, each in the order the OS reports them.
          .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'screen' ? -1 : 1))
      );
    },
    async currentIds(kind) {
      const sources = await deps.desktopCapturer.getSources({ types: [kind], thumbnailSize: { width: 0, height: 0 } });
      return new Set(sources.map((source) => source.id));
    },
  };
}
