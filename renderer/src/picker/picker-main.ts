// Parley's screen-share picker page (desktop only; main opens it in its own sandboxed window).
import { mount } from 'svelte';
import '../styles/tokens.css';
import type { DesktopApi } from '@contracts/desktop';
import Picker from './Picker.svelte';
import { followSystemTheme } from './system-theme';

followSystemTheme();

const target = document.getElementById('picker');
if (!target) throw new Error('missing #picker');
const api: DesktopApi | undefined = (window as Window & { parley?: DesktopApi }).parley;
if (api) mount(Picker, { target, props: { api } });
else target.textContent = 'Screen sharing from this page is only available in the Parley desktop app.';
