/**
 * DynamoDB numbers: exact decimals with up to 38 significant digits and a magnitude from
 * 1E-130 to 9.9999999999999999999999999999999999999E+125 (or zero). They travel as text and
 * are never turned into IEEE floats here, so no precision is ever lost.
 *
 * Internally a number is a sign, its significant digits (no leading or trailing zeros) and
 * the decimal exponent of its first digit: 123.4 is { digits: '1234', exponent: 2 }, so the
 * value is 0.d1d2d3... x 10^(exponent + 1). The exponent is what DynamoDB's limits are about.
 */
import { ValidationException } from '../errors.js'

export const numberSignificantDigitsMax = 38
/** The exponent of the first significant digit: 9.99...E+125 is the largest magnitude. */
export const numberExponentMax = 125
/** 1E-130 is the smallest non-zero magnitude. */
export const numberExponentMin = -130

export const numberSyntaxMessage = 'The parameter cannot be converted to a numeric value'
export const numberOverflowMessage =
  'Number overflow. Attempting to store a number with magnitude larger than supported range'
export const numberUnderflowMessage =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range'
export const numberPrecisionMessage = 'Attempting to store more than 38 significant digits in a Number'

/** A decomposed number. Zero is { negative: false, digits: '', exponent: 0 }. */
export interface DecimalParts {
  negative: boolean
  /** Significant digits, without leading or trailing zeros; '' for zero. */
  digits: string
  /** Decimal exponent of the first significant digit (scientific notation's exponent). */
  exponent: number
}

/**
 * DynamoDB's syntax (Java BigDecimal's): optional sign, digits with an optional point (at
 * least one digit somewhere), optional exponent with optional sign. No spaces, no NaN or
 * Infinity, no hex. Accepted: '+3', '.123', '5.', '0001.23', '1e+5', '-17.4E37'.
 */
const numberSyntax = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** Integers this short need no decomposition: they are canonical once leading zeros are gone. */
const smallInteger = /^-?[1-9]\d{0,14}$/

/** An exponent text longer than this is certainly outside the supported range (or zero). */
const exponentDigitsMax = 9

/**
 * Validates a number in any accepted syntax and returns its canonical text: no exponent, no
 * leading or trailing zeros, no '+', '-0' becomes '0'. Throws ValidationException.
 */
export function parseNumber(text: string): string {
  if (smallInteger.test(text) || text === '0') return text
  const problem = numberProblem(text)
  if (problem !== undefined) throw new ValidationException(problem)
  return formatDecimal(decompose(text))
}

/**
 * The ValidationException message for a number text, or undefined when it is valid.
 * Checked in DynamoDB's order: syntax, overflow, underflow, then precision.
 */
export function numberProblem(text: string): string | undefined {
  if (smallInteger.test(text)) return undefined
  // DynamoDB leaves the ': <text>' off when the text is empty.
  if (text === '') return numberSyntaxMessage
  const parts = decomposeOrUndefined(text)
  if (parts === undefined) return `${numberSyntaxMessage}: ${text}`
  return parts.digits === '' ? zeroExponentProblem(text) : limitProblem(parts)
}

/**
 * Zero has no magnitude, but DynamoDB still holds the exponent it is written with to the range:
 * 0e125 is stored as 0, while 0e126 overflows and 0e-131 underflows (an AWS-validated suite's
 * numberExponent cases).
 */
function zeroExponentProblem(text: string): string | undefined {
  const written = writtenExponent(text)
  if (written === undefined) return undefined
  const exponent = Number(written)
  if (exponent > numberExponentMax) return numberOverflowMessage
  if (exponent < numberExponentMin) return numberUnderflowMessage
  return undefined
}

/** The exponent a number text is written with, as text ('1.5e-3' gives '-3'); undefined without one. */
export function writtenExponent(text: string): string | undefined {
  return /[eE]([+-]?\d+)$/.exec(text)?.[1]
}

const intMax = 2147483647
const intMin = -2147483648

/**
 * Whether Java's BigDecimal reads the text, as DynamoDB's older checks and PartiQL's parser do:
 * its exponent, and the scale it makes (fraction digits minus exponent), must each fit an int.
 */
export function bigDecimalReads(text: string): boolean {
  const written = writtenExponent(text)
  if (written === undefined) return true
  const exponent = Number(written)
  const scale = (/\.(\d*)[eE]/.exec(text)?.[1]?.length ?? 0) - exponent
  return exponent >= intMin && exponent <= intMax && scale >= intMin && scale <= intMax
}

/** Which limit a decomposed number breaks, if any. */
export function limitProblem(parts: DecimalParts): string | undefined {
  if (parts.digits === '') return undefined
  if (parts.exponent > numberExponentMax) return numberOverflowMessage
  if (parts.exponent < numberExponentMin) return numberUnderflowMessage
  if (parts.digits.length > numberSignificantDigitsMax) return numberPrecisionMessage
  return undefined
}

/** Splits any accepted number text into parts; throws a ValidationException on bad syntax. */
export function decompose(text: string): DecimalParts {
  const parts = decomposeOrUndefined(text)
  if (parts === undefined) {
    throw new ValidationException(text === '' ? numberSyntaxMessage : `${numberSyntaxMessage}: ${text}`)
  }
  return parts
}

function decomposeOrUndefined(text: string): DecimalParts | undefined {
  const match = numberSyntax.exec(text)
  if (match === null) return undefined
  const integerPart = match[2] ?? ''
  const fractionPart = match[3] ?? ''
  if (integerPart === '' && fractionPart === '') return undefined
  const all = integerPart + fractionPart
  let first = 0
  while (first < all.length && all.charCodeAt(first) === 48) first++
  if (first === all.length) return { negative: false, digits: '', exponent: 0 }
  let end = all.length
  while (all.charCodeAt(end - 1) === 48) end--
  const explicitExponent = parseExponent(match[4])
  return {
    negative: match[1] === '-',
    digits: all.slice(first, end),
    exponent: integerPart.length - 1 - first + explicitExponent,
  }
}

/**
 * The exponent text as a number. Absurdly long exponents are clamped: they are far outside
 * DynamoDB's range either way, and clamping keeps the arithmetic on safe integers.
 */
function parseExponent(text: string | undefined): number {
  if (text === undefined) return 0
  const negative = text.charCodeAt(0) === 45
  const unsigned = text.replace(/^[+-]?0*/, '')
  if (unsigned === '') return 0
  const magnitude = unsigned.length > exponentDigitsMax ? 10 ** exponentDigitsMax : Number(unsigned)
  return negative ? -magnitude : magnitude
}

/** Canonical text of decomposed parts: plain decimal notation, no redundant zeros. */
export function formatDecimal(parts: DecimalParts): string {
  const { digits, exponent } = parts
  if (digits === '') return '0'
  const sign = parts.negative ? '-' : ''
  const integerDigits = exponent + 1
  if (integerDigits <= 0) return `${sign}0.${'0'.repeat(-integerDigits)}${digits}`
  if (integerDigits >= digits.length) return sign + digits + '0'.repeat(integerDigits - digits.length)
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`
}

/** Numeric order of two valid numbers (canonical or not). */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  if (smallInteger.test(a) && smallInteger.test(b)) {
    const difference = Number(a) - Number(b)
    return difference < 0 ? -1 : difference > 0 ? 1 : 0
  }
  return compareParts(decompose(a), decompose(b))
}

export function compareParts(a: DecimalParts, b: DecimalParts): -1 | 0 | 1 {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1
  if (signA !== signB) return signA < signB ? -1 : 1
  if (signA === 0) return 0
  const magnitude = compareMagnitudes(a, b)
  return (signA < 0 ? -magnitude : magnitude) as -1 | 0 | 1
}

function compareMagnitudes(a: DecimalParts, b: DecimalParts): -1 | 0 | 1 {
  if (a.exponent !== b.exponent) return a.exponent < b.exponent ? -1 : 1
  // Same exponent: the digit strings have no trailing zeros, so plain string order is
  // numeric order ('12' < '123' because 1.2 < 1.23).
  return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0
}

/** a + b, exact. Throws ValidationException when the result is outside DynamoDB's limits. */
export function addNumbers(a: string, b: string): string {
  if (smallInteger.test(a) && smallInteger.test(b)) return String(Number(a) + Number(b))
  return formatDecimal(checkedResult(addParts(checkedOperand(a), checkedOperand(b))))
}

/** a - b, exact. Throws ValidationException when the result is outside DynamoDB's limits. */
export function subtractNumbers(a: string, b: string): string {
  if (smallInteger.test(a) && smallInteger.test(b)) return String(Number(a) - Number(b))
  const negatedB = checkedOperand(b)
  if (negatedB.digits !== '') negatedB.negative = !negatedB.negative
  return formatDecimal(checkedResult(addParts(checkedOperand(a), negatedB)))
}

/**
 * Operands are normally valid already; checking them again keeps a bad caller from asking
 * BigInt for 10^1000000000 (the scale gap between in-range operands is at most 294 digits).
 */
function checkedOperand(text: string): DecimalParts {
  const parts = decompose(text)
  const problem = limitProblem(parts)
  if (problem !== undefined) throw new ValidationException(problem)
  return parts
}

/**
 * Arithmetic results that need more than 38 digits are rejected, never rounded. DynamoDB
 * reports that case as an overflow (Alternator's test_update_expression_plus_imprecise notes
 * this surprising message for 1e50 + 1), so we do the same.
 */
function checkedResult(parts: DecimalParts): DecimalParts {
  const problem = limitProblem(parts)
  if (problem === numberPrecisionMessage) throw new ValidationException(numberOverflowMessage)
  if (problem !== undefined) throw new ValidationException(problem)
  return parts
}

/** Exact sum via BigInt. Inputs are within DynamoDB's range, so the scale gap is bounded. */
export function addParts(a: DecimalParts, b: DecimalParts): DecimalParts {
  if (a.digits === '') return b
  if (b.digits === '') return a
  // Value = integer x 10^scale, where scale is the exponent of the last digit.
  const scaleA = a.exponent - a.digits.length + 1
  const scaleB = b.exponent - b.digits.length + 1
  const scale = Math.min(scaleA, scaleB)
  const integerA = BigInt(a.digits) * 10n ** BigInt(scaleA - scale)
  const integerB = BigInt(b.digits) * 10n ** BigInt(scaleB - scale)
  const sum = (a.negative ? -integerA : integerA) + (b.negative ? -integerB : integerB)
  if (sum === 0n) return { negative: false, digits: '', exponent: 0 }
  const negative = sum < 0n
  const text = (negative ? -sum : sum).toString()
  let end = text.length
  while (text.charCodeAt(end - 1) === 48) end--
  return { negative, digits: text.slice(0, end), exponent: scale + text.length - 1 }
}
