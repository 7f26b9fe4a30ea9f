// Everything joining a meeting needs, loaded with import() so the first screen (connect, sign in,
// home) does not download and compile livekit-client, the track processors and the meeting UI.
// AppState loads it on the way to pre-join; App.svelte prefetches it when the browser is idle.
export { connectRoom, roomSource } from './livekit/meeting-source';
export { createE2eeSetup } from './media';
export { exposeTestHooks } from './livekit/test-hooks';
export { MeetingState } from './state/meeting.svelte';
export { PreJoinState } from './state/prejoin.svelte';
export { default as PreJoin } from '../components/screens/PreJoin.svelte';
export { default as Meeting } from '../components/meeting/Meeting.svelte';

export type CallModule = typeof import('./call');
