/**
 * The two DAX parameters and how a parameter group's values become a node's cache settings.
 * "record-ttl-millis and query-ttl-millis are the only supported parameter names" (DAX docs);
 * their metadata below is what DescribeDefaultParameters returns on AWS, quirks included (the
 * record TTL's description still says "Default: 0 = infinite" although the default is 300000).
 */
import type { DaxCacheSettings } from '../node-api.js'
import { InvalidParameterValueException } from './errors.js'

export const recordTtlParameter = 'record-ttl-millis'
export const queryTtlParameter = 'query-ttl-millis'

/** DAX's default for both TTLs: five minutes. */
export const defaultTtlMillis = 300_000

/** Parameter name → value, as strings, the way the API carries them. */
export type ParameterValues = Readonly<Record<string, string>>

export const defaultParameterValues: ParameterValues = {
  [queryTtlParameter]: String(defaultTtlMillis),
  [recordTtlParameter]: String(defaultTtlMillis),
}

const descriptions: Readonly<Record<string, string>> = {
  [queryTtlParameter]: 'Duration in milliseconds for queries to remain cached',
  [recordTtlParameter]: 'Duration in milliseconds for records to remain valid in cache (Default: 0 = infinite)',
}

/** Listed in the order DAX lists them (alphabetical). */
export const parameterNames: readonly string[] = [queryTtlParameter, recordTtlParameter]

export interface ParameterDescription {
  ParameterName: string
  ParameterType: 'DEFAULT'
  ParameterValue: string
  NodeTypeSpecificValues: []
  Description: string
  Source: 'user'
  DataType: 'integer'
  AllowedValues: '0-'
  IsModifiable: 'TRUE'
  ChangeType: 'IMMEDIATE'
}

export function describeParameters(values: ParameterValues): ParameterDescription[] {
  return parameterNames.map((name) => ({
    ParameterName: name,
    ParameterType: 'DEFAULT',
    ParameterValue: values[name] ?? defaultParameterValues[name]!,
    NodeTypeSpecificValues: [],
    Description: descriptions[name]!,
    Source: 'user',
    DataType: 'integer',
    AllowedValues: '0-',
    IsModifiable: 'TRUE',
    ChangeType: 'IMMEDIATE',
  }))
}

/**
 * Checks one requested change: a known name and a whole number of milliseconds, 0 or more
 * (AllowedValues "0-"). Returns the value as DAX stores it. The messages are ours: DAX's own
 * wording for these two cases is not recorded anywhere we could find.
 */
export function validateParameterValue(name: string | undefined, value: string | undefined): string {
  if (name === undefined || !parameterNames.includes(name)) {
    throw new InvalidParameterValueException(`Unknown parameter: ${name ?? 'null'}`)
  }
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidParameterValueException(`Invalid value for parameter ${name}: ${value ?? 'null'}`)
  }
  return String(Number(value))
}

/** The node settings a parameter group stands for; the memory budget is the server's, not DAX's. */
export function cacheSettingsOf(values: ParameterValues, base: Omit<DaxCacheSettings, 'recordTtlMillis' | 'queryTtlMillis'>): DaxCacheSettings {
  return {
    ...base,
    recordTtlMillis: Number(values[recordTtlParameter] ?? defaultTtlMillis),
    queryTtlMillis: Number(values[queryTtlParameter] ?? defaultTtlMillis),
  }
}
