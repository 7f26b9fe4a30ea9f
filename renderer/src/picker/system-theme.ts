// The picker and share bar have no theme setting of their own: they follow the OS, which Electron
// reports to pages as prefers-color-scheme (nativeTheme). tokens.css is dark unless data-theme says light.
export function followSystemTheme(root: HTMLElement = document.documentElement): () => void {
  const query = matchMedia('(prefers-color-scheme: light)');
  const apply = (): void => {
    root.dataset.theme = query.matches ? 'light' : 'dark';
  };
  apply();
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
