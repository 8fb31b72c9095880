/**
 * Local stand-ins for Lambda functions, declared in the config file under "functions" and keyed by
 * function name. Each is one of:
 *   {"module": "./handlers/welcome.mjs", "handler": "handler", "timeoutSeconds": 3, "environment": {...}}
 *   {"url": "http://127.0.0.1:9000/hook", "timeoutSeconds": 3, "headers": {...}}
 *   {"command": ["node", "x.js"], "timeoutSeconds": 3, "cwd": ".", "environment": {...}}
 * The same table also names failure destinations (DestinationConfig.OnFailure): an SQS, SNS or S3
 * ARN's resource name looked up here must be {"file": "./failures.jsonl"} or {"url": "..."}.
 * Relative paths in a config file were resolved against the file's directory when it was loaded
 * (src/config.ts); any left relative resolve against the server's working directory.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { StartupError } from '../startup-error.js'
import { didYouMean } from '../config.js'

/** Lambda's default function timeout. */
export const defaultTimeoutSeconds = 3
/** Lambda's largest function timeout. */
const timeoutSecondsMax = 900

export type FunctionTarget =
  | { kind: 'module'; name: string; modulePath: string; handler: string; timeoutMs: number; environment: Record<string, string> }
  | { kind: 'webhook'; name: string; url: string; timeoutMs: number; headers: Record<string, string> }
  | { kind: 'command'; name: string; command: string[]; timeoutMs: number; cwd?: string; environment: Record<string, string> }

export type DestinationTarget =
  | { kind: 'file'; path: string }
  | { kind: 'webhook'; url: string; headers: Record<string, string> }

/** A function or destination declared wrongly; at startup the server refuses to run with one. */
export class FunctionConfigError extends StartupError {}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {}
  if (!isPlainObject(value) || !Object.values(value).every((each) => typeof each === 'string')) {
    throw new FunctionConfigError(`${what} must be an object of strings`)
  }
  return value as Record<string, string>
}

function timeoutMsOf(entry: Record<string, unknown>, name: string): number {
  const seconds = entry.timeoutSeconds ?? defaultTimeoutSeconds
  if (typeof seconds !== 'number' || !(seconds > 0) || seconds > timeoutSecondsMax) {
    throw new FunctionConfigError(`functions.${name}.timeoutSeconds must be a number in (0, ${timeoutSecondsMax}]`)
  }
  return Math.round(seconds * 1000)
}

/** Whether the config declares something under this name (a function or a destination). */
export function hasLocalTarget(functions: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(functions, name)
}

/** The function target declared under `name`; throws FunctionConfigError if missing or malformed. */
export function functionTargetOf(functions: Record<string, unknown>, name: string): FunctionTarget {
  const entry = Object.hasOwn(functions, name) ? functions[name] : undefined
  if (!isPlainObject(entry)) throw new FunctionConfigError(`no function named ${name} in the config's "functions"`)
  const timeoutMs = timeoutMsOf(entry, name)
  if (typeof entry.module === 'string') {
    const handler = entry.handler ?? 'handler'
    if (typeof handler !== 'string') throw new FunctionConfigError(`functions.${name}.handler must be a string`)
    return { kind: 'module', name, modulePath: resolve(entry.module), handler, timeoutMs, environment: stringRecord(entry.environment, `functions.${name}.environment`) }
  }
  if (typeof entry.url === 'string') {
    return { kind: 'webhook', name, url: entry.url, timeoutMs, headers: stringRecord(entry.headers, `functions.${name}.headers`) }
  }
  if (Array.isArray(entry.command) && entry.command.length > 0 && entry.command.every((part) => typeof part === 'string')) {
    const target: FunctionTarget = { kind: 'command', name, command: entry.command as string[], timeoutMs, environment: stringRecord(entry.environment, `functions.${name}.environment`) }
    if (typeof entry.cwd === 'string') target.cwd = resolve(entry.cwd)
    return target
  }
  throw new FunctionConfigError(`functions.${name} needs "module", "url" or "command" (a non-empty list of strings)`)
}

/** The destination declared under `name`; throws FunctionConfigError if missing or malformed. */
export function destinationTargetOf(functions: Record<string, unknown>, name: string): DestinationTarget {
  const entry = Object.hasOwn(functions, name) ? functions[name] : undefined
  if (isPlainObject(entry) && typeof entry.file === 'string') return { kind: 'file', path: resolve(entry.file) }
  if (isPlainObject(entry) && typeof entry.url === 'string') {
    return { kind: 'webhook', url: entry.url, headers: stringRecord(entry.headers, `functions.${name}.headers`) }
  }
  throw new FunctionConfigError(`no failure destination named ${name} (with "file" or "url") in the config's "functions"`)
}

/**
 * The name a destination ARN is configured under: the queue or topic name of an SQS/SNS ARN,
 * the bucket of an S3 ARN (arn:aws:s3:::bucket), or the whole text when it is not an ARN.
 */
export function destinationNameOf(arn: string): string {
  if (!arn.startsWith('arn:')) return arn
  const parts = arn.split(':')
  return parts.slice(5).join(':').split('/')[0] ?? arn
}

/**
 * Why the function declared under `name` cannot run (its module file or its command does not
 * exist), or undefined when it can as far as can be told before calling it.
 */
export function missingPartOf(target: FunctionTarget): string | undefined {
  if (target.kind === 'module') {
    return isFile(target.modulePath) ? undefined : `module ${target.modulePath} does not exist`
  }
  if (target.kind === 'command') {
    const program = target.command[0]!
    if (program.includes('/')) {
      const path = isAbsolute(program) ? program : resolve(target.cwd ?? '.', program)
      return isExecutable(path) ? undefined : `command ${path} does not exist or is not executable`
    }
    const directories = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
    return directories.some((directory) => isExecutable(join(directory, program))) ? undefined : `command ${program} is not on the PATH`
  }
  return undefined
}

/** The members a function or destination entry may have (see the shapes at the top). */
const entryKeys = ['module', 'handler', 'timeoutSeconds', 'environment', 'url', 'headers', 'command', 'cwd', 'file']

/**
 * Checks every entry of the config's "functions" at startup: each must be a well-formed function
 * or destination, and a function's module file or command must exist. Throws FunctionConfigError.
 */
export function checkFunctions(functions: Record<string, unknown>): void {
  for (const [name, entry] of Object.entries(functions)) {
    for (const key of isPlainObject(entry) ? Object.keys(entry) : []) {
      if (!entryKeys.includes(key)) throw new FunctionConfigError(`functions.${name}: unknown key "${key}"${didYouMean(key, entryKeys)}`)
    }
    if (isPlainObject(entry) && typeof entry.file === 'string' && entry.module === undefined && entry.command === undefined) continue
    const target = functionTargetOf(functions, name)
    if (target.kind === 'webhook') {
      try {
        new URL(target.url)
      } catch {
        throw new FunctionConfigError(`functions.${name}.url is not a URL: ${target.url}`)
      }
    }
    const missing = missingPartOf(target)
    if (missing) throw new FunctionConfigError(`function ${name}: ${missing}`)
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}
