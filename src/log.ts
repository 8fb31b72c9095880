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

/**
 * The failures of work that repeats (a background loop, a lease's renewal), logged once per run
 * of failures instead of once per try: a database outage fails every such loop every second.
 * The first failure of a run is logged with its error (the stack only at debug: an outage is
 * expected, not a bug), and the first success after it says how many tries failed in a row.
 */
export class FailureRunLog {
  #failures = 0

  constructor(
    readonly log: Logger,
    readonly messages: { failed: string; recovered: string },
    readonly fields: Record<string, unknown> = {},
    readonly level: 'warn' | 'error' = 'warn',
  ) {}

  failed(error: unknown): void {
    this.#failures += 1
    if (this.#failures > 1) return
    const stack = error instanceof Error && this.log.isEnabled('debug') ? { stack: error.stack } : {}
    this.log[this.level](this.messages.failed, { ...this.fields, error: String(error), ...stack })
  }

  succeeded(): void {
    if (this.#failures === 0) return
    this.log.info(this.messages.recovered, { ...this.fields, failures: this.#failures })
    this.#failures = 0
  }
}
