// Pure helpers for the picker page, kept out of the component so they are easy to test.
import type { PickerSource, PickerState } from '@contracts/desktop';

export interface SourceGroups {
  screens: PickerSource[];
  windows: PickerSource[];
}

export function groupSources(state: PickerState | null): SourceGroups {
  const sources = state?.sources ?? [];
  return {
    screens: sources.filter((source) => source.kind === 'screen'),
    windows: sources.filter((source) => source.kind === 'window'),
  };
}

/** Keeps the selection across refreshes, drops it when the source went away. */
export function keepSelection(selected: string | null, state: PickerState | null): string | null {
  if (!selected || !state) return null;
  return state.sources.some((source) => source.id === selected) ? selected : null;
}
