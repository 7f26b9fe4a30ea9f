// Room -> ConnectionStatus, including *why* a call ended (removed by a host, meeting ended...).
import { ConnectionState, DisconnectReason, RoomEvent, type Room } from 'livekit-client';
import type { Subscribable } from './subscribable';
import type { ConnectionPhase, ConnectionStatus, EndReason } from './types';

export function phaseOf(state: ConnectionState): ConnectionPhase {
  switch (state) {
    case ConnectionState.Connected:
      return 'connected';
    case ConnectionState.Connecting:
      return 'connecting';
    case ConnectionState.Reconnecting:
    case ConnectionState.SignalReconnecting:
      return 'reconnecting';
    default:
      return 'disconnected';
  }
}

export function endReasonOf(reason: DisconnectReason | undefined): EndReason {
  switch (reason) {
    case DisconnectReason.CLIENT_INITIATED:
      return 'left';
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'removed';
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.ROOM_CLOSED:
      return 'ended';
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'duplicate';
    case DisconnectReason.SERVER_SHUTDOWN:
      return 'server-shutdown';
    default:
      return 'connection-lost';
  }
}

export function observeConnection(room: Room): Subscribable<ConnectionStatus> {
  return {
    subscribe(run) {
      let endReason: EndReason | null = null;
      const emit = (): void =>
        run({ phase: phaseOf(room.state), endReason: room.state === ConnectionState.Disconnected ? endReason : null });
      const onState = (): void => emit();
      const onDisconnected = (reason?: DisconnectReason): void => {
        endReason = endReasonOf(reason);
        emit();
      };
      room.on(RoomEvent.ConnectionStateChanged, onState);
      room.on(RoomEvent.Disconnected, onDisconnected);
      emit();
      return () => {
        room.off(RoomEvent.ConnectionStateChanged, onState);
        room.off(RoomEvent.Disconnected, onDisconnected);
      };
    },
  };
}
