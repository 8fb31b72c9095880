/**
 * Input checks of the Kinesis API, in Coral's order: JSON types first (SerializationException),
 * then every member constraint, reported together as one ValidationException
 * ("2 validation errors detected: Value 'x' at 'streamName' failed to satisfy constraint: ...").
 * Timestamps arrive as epoch seconds (JSON) and blobs as base64 (JSON) or bytes (CBOR, already
 * turned into base64 by the CBOR codec); both are checked and converted here.
 */
import { KinesisSerializationException, KinesisValidationException } from './errors.js'
import { defaultMaxRecordSizeKiB, largestMaxRecordSizeKiB } from './stream-store.js'

export type Rule =
  | { type: 'string'; required?: true; min?: number; max?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; required?: true; min?: number; max?: number }
  | { type: 'boolean'; required?: true }
  | { type: 'timestamp'; required?: true }
  | { type: 'blob'; required?: true; max?: number }
  | { type: 'list'; required?: true; min?: number; max?: number; member: Rule }
  | { type: 'map'; required?: true; min?: number; max?: number; keyLength: LengthRange; valueLength: LengthRange }
  | { type: 'structure'; required?: true; members: Record<string, Rule> }

/**
 * The lengths every key (or value) of a map must have. Kinesis's only maps are tags
 * (string → string), so a map rule states its keys' and values' lengths rather than nested rules.
 */
export interface LengthRange { min: number; max: number }

export const streamNameRule: Rule = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' }
export const streamArnRule: Rule = { type: 'string', min: 1, max: 2048, pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+' }
export const shardIdRule: Rule = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' }
export const sequenceNumberRule: Rule = { type: 'string', pattern: '0|([1-9]\\d{0,128})' }
export const hashKeyRule: Rule = { type: 'string', pattern: '0|([1-9]\\d{0,38})' }
export const consumerArnRule: Rule = {
  type: 'string', min: 1, max: 2048, pattern: '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+',
}
/** The model's StreamId, a newer optional member of most operations that name a stream: checked, not used. */
export const streamIdRule: Rule = { type: 'string', min: 1, max: 24, pattern: '[a-z0-9]{20}-[a-z0-9]{3}' }
export const streamTarget: Record<string, Rule> = { StreamName: streamNameRule, StreamARN: streamArnRule, StreamId: streamIdRule }
/** The largest record's data a stream takes and gives, in KiB: 1 to 10 MiB (PutRecord and PutRecords check it). */
export const maxRecordSizeRule: Rule = { type: 'integer', min: defaultMaxRecordSizeKiB, max: largestMaxRecordSizeKiB }

/**
 * Validates `input` in place against `members`; blobs become Buffers, timestamps milliseconds.
 * Returns it as `Input`, the type the caller declares for `members` (strings, numbers, booleans,
 * Buffers, arrays, string maps and structures, optional unless required).
 */
export function validateInput<Input>(input: Record<string, unknown>, members: Record<string, Rule>): Input {
  coerceStructure(input, members)
  const problems: string[] = []
  checkStructure(input, members, '', problems)
  if (problems.length > 0) {
    const count = problems.length
    throw new KinesisValidationException(
      `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.slice(0, 10).join('; ')}`)
  }
  // Kinesis's one place where checked JSON becomes typed input.
  return input as Input
}

function coerceStructure(object: Record<string, unknown>, members: Record<string, Rule>): void {
  for (const name of Object.keys(object)) {
    const value = object[name]
    if (value === null || !Object.hasOwn(members, name)) {
      delete object[name]
      continue
    }
    object[name] = coerce(value, members[name]!)
  }
}

function coerce(value: unknown, rule: Rule): unknown {
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch()
      return value
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch()
      return Math.trunc(value)
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch()
      return value
    case 'timestamp':
      if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000)
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value)
      throw mismatch()
    case 'blob':
      if (Buffer.isBuffer(value)) return value
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw mismatch()
      return Buffer.from(value, 'base64')
    case 'list':
      if (!Array.isArray(value)) throw mismatch()
      return value.map((element) => coerce(element, rule.member))
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw mismatch()
      const entries = value as Record<string, unknown>
      for (const key of Object.keys(entries)) if (typeof entries[key] !== 'string') throw mismatch()
      return entries
    }
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) throw mismatch()
      coerceStructure(value as Record<string, unknown>, rule.members)
      return value
  }
}

const compiledPatterns = new Map<string, RegExp>()

function anchored(pattern: string): RegExp {
  let compiled = compiledPatterns.get(pattern)
  if (!compiled) compiledPatterns.set(pattern, compiled = new RegExp(`^(?:${pattern})$`))
  return compiled
}

function mismatch(): KinesisSerializationException {
  return new KinesisSerializationException('Unexpected field type')
}

function checkStructure(object: Record<string, unknown>, members: Record<string, Rule>, path: string, problems: string[]): void {
  for (const [name, rule] of Object.entries(members)) {
    check(object[name], rule, (path ? `${path}.` : '') + name[0]!.toLowerCase() + name.slice(1), problems)
  }
}

/**
 * The ValidationException of a blob longer than `max` at `path`, worded as the checks below word
 * it: for a limit that depends on the stream a request names, checked once it is loaded.
 */
export function blobTooLong(path: string, bytes: number, max: number): KinesisValidationException {
  return new KinesisValidationException(`1 validation error detected: ${tooLongBlobProblem(path, bytes, max)}`)
}

function tooLongBlobProblem(path: string, bytes: number, max: number): string {
  return `Value 'java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`
}

function mapProblem(shown: string, path: string, constraint: string): string {
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`
}

function check(value: unknown, rule: Rule, path: string, problems: string[]): void {
  const fail = (shown: string, constraint: string): void => {
    problems.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`)
  }
  if (value === undefined) {
    if (rule.required) fail('null', 'not be null')
    return
  }
  switch (rule.type) {
    case 'string': {
      const text = value as string
      const shown = `'${text}'`
      if (rule.enum && !rule.enum.includes(text)) fail(shown, `satisfy enum value set: [${rule.enum.join(', ')}]`)
      if (rule.pattern && !anchored(rule.pattern).test(text)) fail(shown, `satisfy regular expression pattern: ${rule.pattern}`)
      if (rule.min !== undefined && text.length < rule.min) fail(shown, `have length greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && text.length > rule.max) fail(shown, `have length less than or equal to ${rule.max}`)
      return
    }
    case 'integer': {
      const number = value as number
      if (rule.min !== undefined && number < rule.min) fail(`'${number}'`, `have value greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && number > rule.max) fail(`'${number}'`, `have value less than or equal to ${rule.max}`)
      return
    }
    case 'blob': {
      const bytes = value as Buffer
      if (rule.max !== undefined && bytes.length > rule.max) problems.push(tooLongBlobProblem(path, bytes.length, rule.max))
      return
    }
    case 'list': {
      const list = value as unknown[]
      if (rule.min !== undefined && list.length < rule.min) fail(`'[]'`, `have length greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && list.length > rule.max) fail(`'${list.length} records'`, `have length less than or equal to ${rule.max}`)
      list.forEach((element, index) => check(element, rule.member, `${path}.${index + 1}.member`, problems))
      return
    }
    case 'map': {
      const map = value as Record<string, string>
      const keys = Object.keys(map)
      // Coral echoes a map as Java's toString() does, and judges its keys, and its values, as a
      // whole: one problem for all the keys that break the rule, one for all the values
      // (kinesalite's messages, which it took from Kinesis).
      const shown = `'{${keys.map((key) => `${key}=${map[key]}`).join(', ')}}'`
      const fits = (text: string, range: LengthRange): boolean => text.length >= range.min && text.length <= range.max
      const lengths = (range: LengthRange): string =>
        `[Member must have length less than or equal to ${range.max}, Member must have length greater than or equal to ${range.min}]`
      if (rule.min !== undefined && keys.length < rule.min) fail(shown, `have length greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && keys.length > rule.max) fail(shown, `have length less than or equal to ${rule.max}`)
      if (!keys.every((key) => fits(key, rule.keyLength))) problems.push(mapProblem(shown, path, `Map keys must satisfy constraint: ${lengths(rule.keyLength)}`))
      if (!keys.every((key) => fits(map[key]!, rule.valueLength))) problems.push(mapProblem(shown, path, `Map value must satisfy constraint: ${lengths(rule.valueLength)}`))
      return
    }
    case 'structure':
      checkStructure(value as Record<string, unknown>, rule.members, path, problems)
      return
    default:
      return
  }
}
