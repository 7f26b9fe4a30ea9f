// The log file a packaged app keeps (userData's logs folder, rotated by electron-log at 5 MB with one
// old file kept), so a person can send it along with a problem. electron-log's Node build is used:
// its Electron build listens on an IPC channel of its own, which no page needs and none may reach.
import electronLog from 'electron-log/node';
import type { LogSink } from './log';

const MAX_BYTES = 5 * 1024 * 1024;

export function fileLogSink(filePath: string): LogSink {
  const logger = electronLog.create({ logId: 'parley-main' });
  logger.transports.console.level = false;
  logger.transports.file.level = 'debug';
  logger.transports.file.maxSize = MAX_BYTES;
  // Lines are already structured JSON; electron-log only writes and rotates them.
  logger.transports.file.format = '{text}';
  logger.transports.file.resolvePathFn = () => filePath;
  return (line) => {
    const text = JSON.stringify(line, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code } : value,
    );
    logger[line.level](text);
  };
}
