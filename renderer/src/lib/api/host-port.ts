// The host controls a meeting offers (mute, remove, lock, end, lobby, recording), done through the team server,
// never directly on the SFU.
import type { ApiClient } from '@contracts/api-client';
import type { LobbyEntry } from '@contracts/api';
import type { HostPort } from '../state/meeting.svelte';
import type { ServerEventStream } from './event-stream';

export function hostPort(api: ApiClient, room: string, events: ServerEventStream | null): HostPort {
  return {
    mute: (identity, source) => api.muteParticipant(room, identity, source),
    remove: (identity) => api.removeParticipant(room, identity),
    async setLocked(locked) {
      await (locked ? api.lockRoom(room) : api.unlockRoom(room));
    },
    end: () => api.endMeeting(room),
    admit: (id) => api.admitGuest(room, id),
    deny: (id) => api.denyGuest(room, id),
    async startRecording() {
      await api.startRecording(room);
    },
    async stopRecording() {
      await api.stopRecording(room);
    },
    async isLocked() {
      return (await api.getRoom(room)).options.locked;
    },
    watchLobby(run) {
      let waiting: LobbyEntry[] = [];
      let closed = false;
      const refresh = (): void => {
        void api
          .listLobby(room)
          .then((list) => {
            if (closed) return;
            waiting = list.waiting;
            run(waiting);
          })
          .catch(() => undefined);
      };
      const stopListening = events?.listen((event) => {
        if (event.type === 'lobby.waiting' && event.room === room) {
          if (!waiting.some((e) => e.id === event.entry.id)) waiting = [...waiting, event.entry];
          run(waiting);
        } else if (event.type === 'lobby.resolved' && event.room === room) {
          waiting = waiting.filter((e) => e.id !== event.id);
          run(waiting);
        } else if (event.type === 'ready') {
          refresh(); // (Re)connected: anything may have changed while the stream was down.
        }
      });
      run(waiting);
      refresh();
      return () => {
        closed = true;
        stopListening?.();
      };
    },
  };
}
