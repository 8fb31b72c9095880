/** Structured logs: one JSON object per line on stderr, filtered by level. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** Whether messages at this level are written (so costly fields can be skipped). */
  isEnabled(level: LogLevel): boolean
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const threshold = levelRank[level]
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levelRank[at] < threshold) return
    write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }) + '\n')
  }
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    isEnabled: (level) => levelRank[level] >= threshold,
  }
}

export function isLogLevel(value: string): value is LogLevel {
  return value in levelRank
}
