/**
 * Vectors as items hold them: a List of Numbers, each stored in full on the item and read by a
 * vector index as a 32-bit float, as DynamoDB's indexes keep them. The write checks and their
 * messages are DynamoDB's (an AWS-validated suite, tier3 vectorWrites, eu-west-2, 2026-08-11).
 */
import { ItemValidationException } from '../errors.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { VectorIndexSchema } from './index-definition.js'

const invalid = 'One or more parameter values were invalid. '

/** A Number's value as a 32-bit float, or undefined when it has none (past the float range). */
function float32Of(text: string): number | undefined {
  const value = Math.fround(Number(text))
  return Number.isFinite(value) ? value : undefined
}

/**
 * An item's vector for one index: undefined when the item has no such attribute (it is then not in
 * the index), else its values as 32-bit floats. Throws DynamoDB's ValidationException when the
 * attribute is not a List of `dimensions` Numbers that fit a 32-bit float.
 */
export function indexedVector(index: VectorIndexSchema, value: AttributeValue | undefined): Float32Array | undefined {
  if (value === undefined) return undefined
  const name = index.vectorAttribute
  if (!('L' in value)) {
    throw new ItemValidationException(`${invalid}Invalid type for parameter ${name}, Expected: 32-bit floating point number list IndexName: ${index.name}`)
  }
  const elements = value.L
  if (elements.length !== index.dimensions) {
    throw new ItemValidationException(
      `${invalid}Invalid size for parameter ${name}, Expected: ${index.dimensions}, Actual: ${elements.length} IndexName: ${index.name}`)
  }
  const vector = new Float32Array(elements.length)
  elements.forEach((element, position) => {
    const float = 'N' in element ? float32Of(element.N) : undefined
    if (float === undefined) {
      throw new ItemValidationException(`${invalid}Invalid type for parameter ${name}[${position}], ` +
        `Expected: 32-bit floating point number, Actual: ${Object.keys(element)[0]}. IndexName: ${index.name}`)
    }
    vector[position] = float
  })
  return vector
}

/**
 * The vector an index holds for an item, or undefined when it holds none: an item without the
 * attribute, or written before the index existed with one that does not fit (left out, not refused).
 */
export function vectorHeldBy(index: VectorIndexSchema, item: Item | undefined): Float32Array | undefined {
  try {
    return indexedVector(index, item?.[index.vectorAttribute])
  } catch {
    return undefined
  }
}

/** The query vector of SearchVectors: Numbers only, each a 32-bit float, or undefined. */
export function searchVectorOf(values: readonly AttributeValue[]): Float32Array | undefined {
  const vector = new Float32Array(values.length)
  for (let position = 0; position < values.length; position++) {
    const value = values[position]!
    const float = 'N' in value ? float32Of(value.N) : undefined
    if (float === undefined) return undefined
    vector[position] = float
  }
  return vector
}

/**
 * A 32-bit float as a Number's text: the shortest decimal that reads back as the same float, as an
 * index hands back its own copy of a vector (so 0.1 stays '0.1' and 16777217 comes back as
 * '16777216').
 */
export function float32Text(value: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const text = value.toPrecision(digits)
    if (Math.fround(Number(text)) === value) return String(Number(text))
  }
  return String(Number(value.toPrecision(9)))
}

/** Whether two vectors are the same floats (an overwrite that leaves an index unchanged). */
export function sameVector(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.length === b.length && a.every((value, position) => value === b[position])
}
