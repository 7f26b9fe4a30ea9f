// Room -> ConnectionStatus, including *why* a call ended (removed by a host, meeting ended...).
import { connectionStateObserver, roomEventSelector } from '@livekit/components-core';
import { ConnectionState, DisconnectReason, RoomEvent, type Room } from 'livekit-client';
import { combineLatest, map, startWith } from 'rxjs';
import { fromObservable, type Subscribable } from './subscribable';
import type { ConnectionPhase, ConnectionStatus, EndReason } from './types';

function phaseOf(state: ConnectionState): ConnectionPhase {
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

function endReasonOf(reason: DisconnectReason | undefined): EndReason {
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

/**
 * The connection phase from components-core's connectionStateObserver, with why it ended once it
 * did: livekit-client emits the reason on RoomEvent.Disconnected, after the state change.
 */
export function observeConnection(room: Room): Subscribable<ConnectionStatus> {
  const endReason = roomEventSelector(room, RoomEvent.Disconnected).pipe(
    map(([reason]) => endReasonOf(reason)),
    startWith(null),
  );
  return fromObservable(
    combineLatest([connectionStateObserver(room), endReason]).pipe(
      map(([state, reason]) => ({ phase: phaseOf(state), endReason: state === ConnectionState.Disconnected ? reason : null })),
    ),
  );
}
