/**
 * Lambda event filtering (EventBridge pattern syntax): which stream records reach the function.
 * A pattern is a JSON object mirroring the record; every key in it must match (AND), and each leaf
 * is an array of rules, any of which may match (OR). Records no filter matches are skipped.
 * Supported rules: exact values (string, number, boolean, null, ""), prefix, suffix,
 * equals-ignore-case, anything-but (values or {prefix}/{suffix}), numeric comparisons and exists.
 */
export type Pattern = { [key: string]: Pattern | Rule[] }
type Rule = string | number | boolean | null | { [operator: string]: unknown }

/** EventBridge's bound on pattern nesting; also keeps the recursion here safe. */
const patternDepthMax = 32
/** Lambda's quota on a pattern's length, in characters. */
export const patternLengthMax = 4096

const numericOperators = new Set(['=', '<', '<=', '>', '>='])

/** Parses and checks a pattern; returns undefined when it is not a valid pattern definition. */
export function parsePattern(text: string): Pattern | undefined {
  if (text.length > patternLengthMax) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  return isPatternObject(parsed, 0) ? parsed : undefined
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPatternObject(value: unknown, depth: number): value is Pattern {
  if (!isPlainObject(value) || depth > patternDepthMax) return false
  return Object.values(value).every((member) =>
    Array.isArray(member) ? member.length > 0 && member.every(isValidRule) : isPatternObject(member, depth + 1))
}

function isValidRule(rule: unknown): boolean {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) return true
  if (!isPlainObject(rule)) return false
  const operators = Object.keys(rule)
  if (operators.length !== 1) return false
  const operand = rule[operators[0]!]
  switch (operators[0]) {
    case 'prefix': case 'suffix': case 'equals-ignore-case':
      return typeof operand === 'string'
    case 'exists':
      return typeof operand === 'boolean'
    case 'numeric':
      return isNumericRule(operand)
    case 'anything-but':
      if (isPlainObject(operand)) {
        const [inner, ...rest] = Object.keys(operand)
        return rest.length === 0 && (inner === 'prefix' || inner === 'suffix') && typeof operand[inner] === 'string'
      }
      return Array.isArray(operand)
        ? operand.length > 0 && operand.every((value) => typeof value === 'string' || typeof value === 'number')
        : typeof operand === 'string' || typeof operand === 'number'
    default:
      return false
  }
}

function isNumericRule(operand: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) return false
  for (let i = 0; i < operand.length; i += 2) {
    if (!numericOperators.has(operand[i] as string) || typeof operand[i + 1] !== 'number') return false
  }
  return true
}

/**
 * A value a record has that patterns cannot read (Kinesis data that is not JSON): Lambda drops such
 * a record for any pattern on that value ("both the data field and your filter criteria for the
 * data field must be in valid JSON format"), so nothing matches it, not even `exists: false`.
 */
export const unreadableValue: unique symbol = Symbol('unreadable')

/** Whether the record matches the pattern. */
export function matchesPattern(pattern: Pattern, record: unknown): boolean {
  if (record === unreadableValue) return false
  const object = isPlainObject(record) ? record : {}
  for (const [key, expected] of Object.entries(pattern)) {
    const actual = Object.hasOwn(object, key) ? object[key] : undefined
    const matched = Array.isArray(expected)
      ? expected.some((rule) => matchesRule(rule, actual))
      : matchesPattern(expected, actual)
    if (!matched) return false
  }
  return true
}

/** Whether any of the filters matches; no filters at all means every record matches. */
export function matchesAnyPattern(patterns: Pattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record))
}

function matchesRule(rule: Rule, actual: unknown): boolean {
  if (actual === unreadableValue) return false
  if (isPlainObject(rule) && 'exists' in rule) {
    // exists tests for a leaf value; an object or an empty list counts as absent.
    const present = actual !== undefined && !isPlainObject(actual) && !(Array.isArray(actual) && actual.length === 0)
    return rule.exists === present
  }
  if (actual === undefined) return false
  // A list in the record matches when any of its elements does.
  if (Array.isArray(actual)) return actual.some((element) => matchesLeaf(rule, element))
  return matchesLeaf(rule, actual)
}

function matchesLeaf(rule: Rule, actual: unknown): boolean {
  if (!isPlainObject(rule)) return rule === actual
  const [operator] = Object.keys(rule)
  const operand = rule[operator!]
  switch (operator) {
    case 'prefix': return typeof actual === 'string' && actual.startsWith(operand as string)
    case 'suffix': return typeof actual === 'string' && actual.endsWith(operand as string)
    case 'equals-ignore-case':
      return typeof actual === 'string' && actual.toLowerCase() === (operand as string).toLowerCase()
    case 'numeric': return typeof actual === 'number' && matchesNumeric(operand as (string | number)[], actual)
    case 'anything-but': return matchesAnythingBut(operand, actual)
    default: return false
  }
}

function matchesNumeric(comparisons: (string | number)[], actual: number): boolean {
  for (let i = 0; i < comparisons.length; i += 2) {
    const bound = comparisons[i + 1] as number
    const ok = { '=': actual === bound, '<': actual < bound, '<=': actual <= bound, '>': actual > bound, '>=': actual >= bound }[comparisons[i] as string]
    if (!ok) return false
  }
  return true
}

function matchesAnythingBut(operand: unknown, actual: unknown): boolean {
  if (isPlainObject(operand)) {
    if (typeof actual !== 'string') return false
    if (typeof operand.prefix === 'string') return !actual.startsWith(operand.prefix)
    return !actual.endsWith(operand.suffix as string)
  }
  const excluded = Array.isArray(operand) ? operand : [operand]
  return !excluded.includes(actual)
}
