// Dark first, light on request (or when the system asks for it with "system").
import { getContext, setContext } from 'svelte';
import { KEYS, load, save, ThemeSchema, type ThemeChoice } from '../storage';

export class ThemeState {
  choice = $state<ThemeChoice>(load(KEYS.theme, ThemeSchema, 'dark'));
  #systemLight = $state(false);
  readonly resolved: 'dark' | 'light' = $derived(this.choice === 'system' ? (this.#systemLight ? 'light' : 'dark') : this.choice);

  start(): () => void {
    const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null;
    const onChange = (): void => {
      this.#systemLight = mq?.matches ?? false;
    };
    onChange();
    mq?.addEventListener('change', onChange);
    const stopApply = $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.resolved;
      });
    });
    return () => {
      mq?.removeEventListener('change', onChange);
      stopApply();
    };
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    save(KEYS.theme, choice);
  }

  toggle(): void {
    this.set(this.resolved === 'dark' ? 'light' : 'dark');
  }
}

const KEY = Symbol('parley.theme');
export const setThemeContext = (t: ThemeState): ThemeState => setContext(KEY, t);
export function getThemeContext(): ThemeState {
  const t = getContext<ThemeState | undefined>(KEY);
  if (!t) throw new Error('getThemeContext() outside <App>');
  return t;
}
