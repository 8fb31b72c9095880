/**
 * The score SearchVectors reports for a stored vector against the query, per distance function,
 * and which scores rank first. Computed from the 32-bit floats an index holds and rounded to a
 * 32-bit float, the precision DynamoDB's scores come in (an AWS-validated suite's fixture: the
 * analytic values through Math.fround, exactly 0, 1 and 2 for identical, orthogonal and opposite
 * vectors under COSINE).
 */
import type { DistanceFunction } from './index-definition.js'

export function vectorScore(distance: DistanceFunction, query: Float32Array, stored: Float32Array): number {
  switch (distance) {
    case 'DOT_PRODUCT': return Math.fround(dot(query, stored))
    case 'EUCLIDEAN': {
      let sum = 0
      for (let position = 0; position < query.length; position++) {
        const difference = query[position]! - stored[position]!
        sum += difference * difference
      }
      return Math.fround(Math.sqrt(sum))
    }
    case 'COSINE': {
      const norms = Math.sqrt(dot(query, query)) * Math.sqrt(dot(stored, stored))
      // A zero vector has no direction: it is as far from everything as orthogonal vectors are.
      return norms === 0 ? 1 : Math.fround(1 - dot(query, stored) / norms)
    }
  }
}

/** DOT_PRODUCT ranks the highest scores first; the distances rank the smallest first. */
export function ranksBefore(distance: DistanceFunction, a: number, b: number): boolean {
  return distance === 'DOT_PRODUCT' ? a > b : a < b
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0
  for (let position = 0; position < a.length; position++) sum += a[position]! * b[position]!
  return sum
}
