/**
 * A reason the server cannot start that the operator can fix (a port in use, a data directory
 * held by another server, a missing handler module...). The CLI prints its message as one line,
 * without a stack trace, and exits non-zero. Anything else thrown at startup is a bug.
 */
export class StartupError extends Error {
  override name = 'StartupError'
}

/**
 * A mistake in the command line, the environment or the config file. The CLI adds a hint to
 * `--help`.
 */
export class ConfigError extends StartupError {
  override name = 'ConfigError'
}

/** The message of a Node system error without its "ENOENT: " prefix and syscall detail. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a parent is a file, not a directory',
    EROFS: 'read-only file system',
    EEXIST: 'it exists and is not a directory',
    ENOSPC: 'no space left on the device',
  }
  if (code !== undefined && reasons[code]) return reasons[code]!
  return error instanceof Error ? error.message : String(error)
}
