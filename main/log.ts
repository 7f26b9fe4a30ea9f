// Structured logs: one JSON object per line, an event name plus fields, so support can grep them.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export type LogSink = (line: { level: LogLevel; time: string; event: string } & LogFields) => void;

const consoleSink: LogSink = (line) => {
  const text = JSON.stringify(line, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code } : value,
  );
  if (line.level === 'error' || line.level === 'warn') process.stderr.write(`${text}\n`);
  else process.stdout.write(`${text}\n`);
};

/** Writes every line to each sink (the console and the log file). */
export function teeSink(...sinks: LogSink[]): LogSink {
  return (line) => {
    for (const sink of sinks) sink(line);
  };
}

export const defaultSink: LogSink = (line) => consoleSink(line);

export function createLogger(bindings: LogFields = {}, sink: LogSink = consoleSink): Logger {
  const write =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) =>
      sink({ level, time: new Date().toISOString(), event, ...bindings, ...fields });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createLogger({ ...bindings, ...more }, sink),
  };
}

/** A logger that keeps lines in memory; tests assert on what was logged. */
export function createMemoryLogger(): Logger & { lines: Array<{ level: LogLevel; event: string } & LogFields> } {
  const lines: Array<{ level: LogLevel; event: string } & LogFields> = [];
  const logger = createLogger({}, (line) => lines.push(line));
  return Object.assign(logger, { lines });
}
