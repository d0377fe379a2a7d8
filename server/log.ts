/**
 * A small structured logger: one line per event, `time level area message k=v ...`.
 * Tests pass a sink to collect entries instead of printing them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  area: string;
  message: string;
  fields: Record<string, unknown>;
}

export type LogSink = (entry: LogEntry) => void;

export interface Logger {
  debug(area: string, message: string, fields?: Record<string, unknown>): void;
  info(area: string, message: string, fields?: Record<string, unknown>): void;
  warn(area: string, message: string, fields?: Record<string, unknown>): void;
  error(area: string, message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? 'undefined';
}

function formatEntry(entry: LogEntry): string {
  const fields = Object.entries(entry.fields)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const line = `${new Date().toISOString()} ${entry.level.padEnd(5)} ${entry.area}: ${entry.message}`;
  return fields ? `${line} ${fields}` : line;
}

const consoleSink: LogSink = (entry) => {
  const line = formatEntry(entry);
  if (entry.level === 'error' || entry.level === 'warn') console.error(line);
  else console.log(line);
};

export function createLogger(minLevel: LogLevel = 'info', sink: LogSink = consoleSink): Logger {
  const emit = (level: LogLevel, area: string, message: string, fields: Record<string, unknown> = {}) => {
    if (RANK[level] >= RANK[minLevel]) sink({ level, area, message, fields });
  };
  return {
    debug: (area, message, fields) => emit('debug', area, message, fields),
    info: (area, message, fields) => emit('info', area, message, fields),
    warn: (area, message, fields) => emit('warn', area, message, fields),
    error: (area, message, fields) => emit('error', area, message, fields),
  };
}
