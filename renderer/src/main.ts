// First: fire GET /api/v1/server before anything else is evaluated (see lib/early.ts).
import './lib/early';
import { mount } from 'svelte';
import './styles/tokens.css';
import './styles/base.css';
import './styles/ui.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
export default mount(App, { target });
