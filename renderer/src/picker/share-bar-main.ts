// The "Sharing <name> — Stop" bar (desktop only).
import { mount } from 'svelte';
import '../styles/tokens.css';
import type { DesktopApi } from '@contracts/desktop';
import ShareBar from './ShareBar.svelte';
import { followSystemTheme } from './system-theme';

followSystemTheme();

const target = document.getElementById('share-bar');
if (!target) throw new Error('missing #share-bar');
const api: DesktopApi | undefined = (window as Window & { parley?: DesktopApi }).parley;
if (api) mount(ShareBar, { target, props: { api } });
