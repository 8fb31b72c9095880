/**
 * Projections applied at read time from a cached full item (spec A11.3): the item cache keeps
 * whole items, and each GetItem or BatchGetItem picks what its request asked for.
 */
import {
  applyProjection, compileExpressions, projectionFromAttributesToGet, type Projection,
} from '../../expressions/index.js'
import type { Item } from '../../values/types.js'

/** The request members that only shape the projection; they are dropped from upstream reads. */
export const projectionMembers = ['ProjectionExpression', 'ExpressionAttributeNames', 'AttributesToGet'] as const

export interface ProjectionRequest {
  ProjectionExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  AttributesToGet?: string[]
}

/** The request's projection, or undefined for the whole item. Throws ValidationException. */
export function readProjection(request: ProjectionRequest): Projection | undefined {
  if (request.ProjectionExpression !== undefined || request.ExpressionAttributeNames !== undefined) {
    return compileExpressions({
      ProjectionExpression: request.ProjectionExpression,
      ExpressionAttributeNames: request.ExpressionAttributeNames,
    }, ['ProjectionExpression']).projection
  }
  return request.AttributesToGet ? projectionFromAttributesToGet(request.AttributesToGet) : undefined
}

export function projectItem(projection: Projection | undefined, item: Item): Item {
  return projection ? applyProjection(projection, item) : item
}

/** A copy of `request` without its projection members. */
export function withoutProjection<T extends object>(request: T): T {
  const copy = { ...request } as Record<string, unknown>
  for (const name of projectionMembers) delete copy[name]
  return copy as T
}
