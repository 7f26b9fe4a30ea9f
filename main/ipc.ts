// The main side of the bridge. Every invoke is checked in this order before a handler runs:
// known channel, sender frame is a top-level frame of the app origin in one of Parley's windows,
// that window's role may use the channel, payload matches the channel's schema. Answers are
// validated too, and wrapped so error codes survive the trip.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { z } from 'zod';
import {
  eventChannels,
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeChannels,
  type InvokeResponse,
  type IpcResult,
  type WindowRole,
} from '@contracts/desktop';
import { isAppUrl } from './app-url';
import { ParleyError, toBridgeError } from './errors';
import type { Logger } from './log';
import type { WindowRegistry } from './window-registry';

export interface InvokeContext {
  role: WindowRole;
  sender: WebContents;
}

export type InvokeHandler<C extends InvokeChannel> = (
  payload: z.output<InvokeChannels[C]['request']>,
  context: InvokeContext,
) => InvokeResponse<C> | Promise<InvokeResponse<C>>;

export type InvokeHandlers = { [C in InvokeChannel]: InvokeHandler<C> };

/** The handlers of a few channels; main/handlers/ has one group per job, app.ts joins them. */
export type HandlerGroup<C extends InvokeChannel> = { [K in C]: InvokeHandler<K> };

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  registry: WindowRegistry;
  log: Logger;
}

/** Returns the sender's role, or throws IPC_FORBIDDEN_SENDER. */
export function authorizeSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  registry: WindowRegistry,
  audience: readonly WindowRole[],
): WindowRole {
  const frame = event.senderFrame;
  if (!frame) throw new ParleyError('IPC_FORBIDDEN_SENDER', 'The sending frame is gone.');
  if (frame.parent !== null) throw new ParleyError('IPC_FORBIDDEN_SENDER', 'Only top-level frames may use the bridge.');
  if (!isAppUrl(frame.url)) throw new ParleyError('IPC_FORBIDDEN_SENDER', 'The sender is not a Parley page.');
  const role = registry.roleOf(event.sender);
  if (!role) throw new ParleyError('IPC_FORBIDDEN_SENDER', "The sender is not one of Parley's windows.");
  if (!audience.includes(role)) throw new ParleyError('IPC_FORBIDDEN_SENDER', `A ${role} window may not use this channel.`);
  return role;
}

export function registerIpcHandlers(deps: IpcDeps, handlers: InvokeHandlers): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[];
  for (const channel of channels) {
    deps.ipcMain.handle(channel, (event, payload: unknown) => dispatch(deps, handlers, channel, event, payload));
  }
  return () => {
    for (const channel of channels) deps.ipcMain.removeHandler(channel);
  };
}

async function dispatch<C extends InvokeChannel>(
  deps: IpcDeps,
  handlers: InvokeHandlers,
  channel: C,
  event: IpcMainInvokeEvent,
  payload: unknown,
): Promise<IpcResult<InvokeResponse<C>>> {
  const spec = invokeChannels[channel];
  try {
    const role = authorizeSender(event, deps.registry, spec.audience);
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      throw new ParleyError('IPC_INVALID_PAYLOAD', `Invalid payload for ${channel}: ${parsed.error.issues[0]?.message ?? 'rejected'}`);
    }
    const handler = handlers[channel] as InvokeHandler<C>;
    const value = await handler(parsed.data as z.output<InvokeChannels[C]['request']>, { role, sender: event.sender });
    // A handler answering outside the contract is a bug in main; fail closed rather than leak it.
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      deps.log.error('ipc.invalid_response', { channel, issue: checked.error.issues[0]?.message });
      throw new Error(`handler for ${channel} answered outside the contract`);
    }
    return { ok: true, value: checked.data as InvokeResponse<C> };
  } catch (error) {
    const info = toBridgeError(error);
    const level = info.code === 'INTERNAL' ? 'error' : 'warn';
    deps.log[level]('ipc.rejected', { channel, code: info.code, error, senderUrl: event.senderFrame?.url });
    return { ok: false, error: info };
  }
}

export type EventSender = <C extends EventChannel>(
  contents: WebContents | null | undefined,
  channel: C,
  payload: EventPayload<C>,
) => boolean;

/** Sends a main -> page event after checking the payload and that the target window may get it. */
export function createEventSender(registry: WindowRegistry, log: Logger): EventSender {
  return (contents, channel, payload) => {
    if (!contents || contents.isDestroyed()) return false;
    const spec = eventChannels[channel];
    const role = registry.roleOf(contents);
    if (!role || !(spec.audience as readonly WindowRole[]).includes(role)) {
      log.error('ipc.event_wrong_audience', { channel, role });
      return false;
    }
    if (!isAppUrl(contents.getURL())) {
      log.warn('ipc.event_not_app_page', { channel });
      return false;
    }
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success) {
      log.error('ipc.event_invalid_payload', { channel, issue: parsed.error.issues[0]?.message });
      return false;
    }
    contents.send(channel, parsed.data);
    return true;
  };
}
