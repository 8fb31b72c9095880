/**
 * Checks the settings of CreateEventSourceMapping and UpdateEventSourceMapping bodies. Member
 * constraints fail as Lambda's model validation does ("1 validation error detected: ..."), up to
 * ten at once; cross-field and meaning checks fail as InvalidParameterValueException.
 */
import { invalidParameter, validationError } from './lambda-errors.js'
import { parsePattern } from './filter-pattern.js'
import type { MappingSettings, StartingPosition } from './mapping.js'

/** Model validation reports at most this many problems in one message. */
const validationProblemsMax = 10
/** The shortest finite MaximumRecordAgeInSeconds Lambda accepts. */
const minimumRecordAgeSeconds = 60
/** Lambda's quota of filters per mapping. */
const filtersMax = 5
/** The metrics a mapping's MetricsConfig may name (Lambda's model, API_EventSourceMappingMetricsConfig). */
const metricNames = ['EventCount', 'ErrorCount', 'KafkaMetrics']
/** OnFailure.Destination in Lambda's model (API_OnFailure): empty, a Kafka topic or an ARN. */
const destinationLengthMax = 350
const destinationPatternText =
  '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)'
/** The model's patterns match the whole value. */
const destinationPattern = new RegExp(`^(?:${destinationPatternText})$`)

interface IntegerRange {
  member: keyof MappingSettings
  wireName: string
  min: number
  max: number
}

const integerRanges: IntegerRange[] = [
  { member: 'BatchSize', wireName: 'batchSize', min: 1, max: 10000 },
  { member: 'MaximumBatchingWindowInSeconds', wireName: 'maximumBatchingWindowInSeconds', min: 0, max: 300 },
  { member: 'ParallelizationFactor', wireName: 'parallelizationFactor', min: 1, max: 10 },
  { member: 'MaximumRecordAgeInSeconds', wireName: 'maximumRecordAgeInSeconds', min: -1, max: 604800 },
  { member: 'MaximumRetryAttempts', wireName: 'maximumRetryAttempts', min: -1, max: 10000 },
  { member: 'TumblingWindowInSeconds', wireName: 'tumblingWindowInSeconds', min: 0, max: 900 },
]

export type Body = Record<string, unknown>

export function parseBody(text: string): Body {
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalidParameter('Could not parse request body into json')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Could not parse request body into json')
  return parsed as Body
}

function checkType(body: Body, member: string, type: 'number' | 'boolean' | 'string' | 'object'): void {
  const value = body[member]
  if (value === undefined || value === null) return
  const ok = type === 'number' ? Number.isInteger(value) : type === 'object' ? typeof value === 'object' && !Array.isArray(value) : typeof value === type
  if (!ok) throw invalidParameter(`Invalid type for ${member}`)
}

/** The model constraints, reported together the way Lambda's validation layer words them. */
export function checkMemberConstraints(body: Body): void {
  for (const { member } of integerRanges) checkType(body, member, 'number')
  for (const member of ['Enabled', 'BisectBatchOnFunctionError']) checkType(body, member, 'boolean')
  for (const member of ['FunctionName', 'EventSourceArn', 'StartingPosition']) checkType(body, member, 'string')
  for (const member of ['FilterCriteria', 'DestinationConfig', 'MetricsConfig', 'Tags']) checkType(body, member, 'object')
  const problems: string[] = []
  for (const range of integerRanges) {
    const value = body[range.member]
    if (typeof value !== 'number') continue
    if (value < range.min) problems.push(`Value '${value}' at '${range.wireName}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`)
    if (value > range.max) problems.push(`Value '${value}' at '${range.wireName}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`)
  }
  const functionNameProblem = typeof body.FunctionName === 'string' ? functionNameLengthProblem(body.FunctionName) : undefined
  if (functionNameProblem) problems.push(functionNameProblem)
  const position = body.StartingPosition
  if (typeof position === 'string' && !['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'].includes(position)) {
    problems.push(`Value '${position}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]`)
  }
  const responseTypes = body.FunctionResponseTypes
  if (responseTypes !== undefined && responseTypes !== null) {
    if (!Array.isArray(responseTypes) || responseTypes.length > 1 || responseTypes.some((type) => type !== 'ReportBatchItemFailures')) {
      problems.push(`Value '${JSON.stringify(responseTypes)}' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]`)
    }
  }
  const metrics = (body.MetricsConfig as Body | undefined | null)?.Metrics
  if (metrics !== undefined && metrics !== null) {
    if (!Array.isArray(metrics) || metrics.length > metricNames.length || metrics.some((metric) => !metricNames.includes(metric))) {
      problems.push(`Value '${JSON.stringify(metrics)}' at 'metricsConfig.metrics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${metricNames.join(', ')}]]`)
    }
  }
  const destination = ((body.DestinationConfig as Body | undefined | null)?.OnFailure as Body | undefined | null)?.Destination
  if (typeof destination === 'string') {
    if (destination.length > destinationLengthMax) {
      problems.push(`Value '${destination}' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must have length less than or equal to ${destinationLengthMax}`)
    } else if (!destinationPattern.test(destination)) {
      problems.push(`Value '${destination}' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: ${destinationPatternText}`)
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, validationProblemsMax)
    throw validationError(`${shown.length} validation error${shown.length > 1 ? 's' : ''} detected: ${shown.join('; ')}`)
  }
}

/** The settings a body sets, over `base` (the defaults on create, the current ones on update). */
export function settingsFrom(body: Body, base: MappingSettings): MappingSettings {
  const settings: MappingSettings = structuredClone(base)
  for (const { member } of integerRanges) {
    if (typeof body[member] === 'number') (settings[member] as number) = body[member] as number
  }
  if (typeof body.BisectBatchOnFunctionError === 'boolean') settings.BisectBatchOnFunctionError = body.BisectBatchOnFunctionError
  if (Array.isArray(body.FunctionResponseTypes)) settings.FunctionResponseTypes = body.FunctionResponseTypes as string[]
  if (body.DestinationConfig) settings.DestinationConfig = destinationConfigOf(body.DestinationConfig as Body)
  if (body.MetricsConfig) settings.MetricsConfig = { Metrics: [...((body.MetricsConfig as Body).Metrics as string[] | undefined ?? [])] }
  if (body.FilterCriteria) {
    const filters = filtersOf(body.FilterCriteria as Body)
    if (filters.length === 0) delete settings.FilterCriteria
    else settings.FilterCriteria = { Filters: filters }
  }
  // The model allows -1 to 604800, but Lambda refuses 0-59 (AWS's answer, quoted in
  // hashicorp/terraform-provider-aws#16113); at 0 every record would be discarded unread.
  if (settings.MaximumRecordAgeInSeconds >= 0 && settings.MaximumRecordAgeInSeconds < minimumRecordAgeSeconds) {
    throw invalidParameter('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')
  }
  if (settings.TumblingWindowInSeconds > 0) {
    // A documented difference (docs/streams.md): tumbling windows and their state are not run here.
    throw invalidParameter('TumblingWindowInSeconds is not supported by EddyDB stream triggers.')
  }
  return settings
}

function destinationConfigOf(config: Body): MappingSettings['DestinationConfig'] {
  // The model has OnSuccess, but stream mappings refuse it (Lambda's words, as LocalStack's
  // parity test against AWS records them).
  if (config.OnSuccess !== undefined && config.OnSuccess !== null) {
    throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
  }
  const onFailure = config.OnFailure as Body | undefined
  const destination = onFailure?.Destination
  if (destination !== undefined && destination !== null && typeof destination !== 'string') throw invalidParameter('Invalid type for Destination')
  return { OnFailure: typeof destination === 'string' && destination !== '' ? { Destination: destination } : {} }
}

function filtersOf(criteria: Body): { Pattern: string }[] {
  const filters = criteria.Filters
  if (filters === undefined || filters === null) return []
  if (!Array.isArray(filters) || filters.length > filtersMax) throw invalidParameter('Invalid filter pattern definition.')
  return filters.map((filter: unknown) => {
    const pattern = (filter as Body | null)?.Pattern
    if (typeof pattern !== 'string' || parsePattern(pattern) === undefined) throw invalidParameter('Invalid filter pattern definition.')
    return { Pattern: pattern }
  })
}

/**
 * A StartingPositionTimestamp belongs with AT_TIMESTAMP only, for either kind of stream (Lambda's
 * words, as LocalStack's test recorded them against AWS).
 */
export function refuseStrayTimestamp(body: Body, position: StartingPosition): void {
  if (position !== 'AT_TIMESTAMP' && body.StartingPositionTimestamp !== undefined && body.StartingPositionTimestamp !== null) {
    throw invalidParameter('Timestamp only valid with StartingPosition AT_TIMESTAMP')
  }
}

/** DynamoDB streams need TRIM_HORIZON or LATEST (AT_TIMESTAMP in Lambda's words, naming the stream). */
export function startingPositionOf(body: Body, streamArn: string): StartingPosition {
  const position = body.StartingPosition
  if (position === undefined || position === null) throw invalidParameter('StartingPosition is required for DynamoDB Streams event sources.')
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST') throw invalidParameter(`Unsupported starting position for arn type: ${streamArn}`)
  refuseStrayTimestamp(body, position)
  return position
}

/**
 * FunctionName is the model's NamespacedFunctionName: 1 to 256 characters (a full ARN with a
 * version or alias included) and this pattern.
 */
const functionNameLengthMax = 256
const functionNamePattern = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?'

/** A FunctionName's length problem, in the validation layer's words; undefined when it has none. */
export function functionNameLengthProblem(functionName: string): string | undefined {
  if (functionName.length >= 1 && functionName.length <= functionNameLengthMax) return undefined
  return `Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must have length ` +
    (functionName.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${functionNameLengthMax}`)
}

/** The function name in a FunctionName given as a name, a full ARN or a partial ARN. */
export function functionNameOf(functionName: string): string {
  return functionOf(functionName).name
}

/**
 * The function and the version or alias a FunctionName names (`name:PROD`, `...:function:name:3`);
 * `$LATEST` is the unqualified function.
 */
export function functionOf(functionName: string): { name: string; qualifier?: string } {
  const match = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|[0-9]{12}:function:)?([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$/.exec(functionName)
  if (!match) throw invalidParameter(`1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${functionNamePattern}`)
  const qualifier = match[2]
  return qualifier === undefined || qualifier === '$LATEST' ? { name: match[1]! } : { name: match[1]!, qualifier }
}

/** The tags of a create or TagResource body: string values only. */
export function tagsOf(tags: unknown): Record<string, string> {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) throw invalidParameter('Invalid type for Tags')
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value !== 'string') throw invalidParameter(`Invalid type for Tags.${key}`)
    result[key] = value
  }
  return result
}
