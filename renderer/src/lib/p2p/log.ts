// Structured log lines for the direct-call machinery: one JSON object per line, so a person reading
// the console and a test reading it see the same fields. The sink is swappable for tests and Node.
export interface P2pLogEntry {
  scope: 'p2p';
  level: 'info' | 'warn';
  event: string;
  /** Machine-testable reason, e.g. P2P_WRONG_SENDER. */
  code?: string;
  [field: string]: unknown;
}

export type P2pLogSink = (entry: P2pLogEntry) => void;

export const consoleSink: P2pLogSink = (entry) => {
  const line = JSON.stringify(entry);
  if (entry.level === 'warn') console.warn(line);
  else console.info(line);
};

export interface P2pLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, code: string, fields?: Record<string, unknown>): void;
}

export function createP2pLog(sink: P2pLogSink = consoleSink): P2pLog {
  return {
    info: (event, fields = {}) => sink({ scope: 'p2p', level: 'info', event, ...fields }),
    warn: (event, code, fields = {}) => sink({ scope: 'p2p', level: 'warn', event, code, ...fields }),
  };
}
