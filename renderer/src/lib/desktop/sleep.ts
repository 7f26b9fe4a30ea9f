// What the meeting screen says after Parley left a call because the computer went to sleep. The
// call is joined again when it wakes (system.onPower with recoverCall), camera and microphone off.
import type { Problem } from '../problems';

export const SLEEP_PROBLEM: Problem = {
  kind: 'connection-lost',
  title: 'Paused while your computer slept',
  message: 'Parley rejoins the meeting when your computer wakes up, with your camera and microphone off.',
};
