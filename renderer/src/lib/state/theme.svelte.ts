// The theme follows the system (prefers-color-scheme) until someone picks dark or light in settings;
// that explicit choice wins from then on.
import { createContext } from 'svelte';
import { MediaQuery } from 'svelte/reactivity';
import { KEYS, load, save, ThemeSchema, type ThemeChoice } from '../storage';

export class ThemeState {
  choice = $state<ThemeChoice>(load(KEYS.theme, ThemeSchema, 'system'));
  // Reactive over the media query's change event. Dark where the page cannot ask (no matchMedia).
  readonly #systemLight = typeof matchMedia === 'function' ? new MediaQuery('(prefers-color-scheme: light)') : null;
  readonly resolved: 'dark' | 'light' = $derived(this.choice === 'system' ? (this.#systemLight?.current ? 'light' : 'dark') : this.choice);

  /** Keeps the page's data-theme in step with `resolved`; returns the cleanup. */
  start(): () => void {
    return $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.resolved;
      });
    });
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    save(KEYS.theme, choice);
  }

  toggle(): void {
    this.set(this.resolved === 'dark' ? 'light' : 'dark');
  }
}

export const [getThemeContext, setThemeContext] = createContext<ThemeState>();
