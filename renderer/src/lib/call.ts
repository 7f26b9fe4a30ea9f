// Everything joining a meeting needs, loaded with import() (call-chunk.ts) so the first screen
// (connect, sign in, home) does not download and compile livekit-client, the track processors and
// the meeting UI. Nothing in the first chunk imports this file but call-chunk.ts.
export { connectRoom } from './livekit/connect-room';
export { roomSource } from './livekit/meeting-source';
export { createE2eeSetup } from './media/e2ee';
export { exposeTestHooks } from './livekit/test-hooks';
export { MeetingState } from './state/meeting.svelte';
export { PreJoinState } from './state/prejoin.svelte';
export { default as PreJoin } from '../components/screens/PreJoin.svelte';
export { default as Meeting } from '../components/meeting/Meeting.svelte';
