/**
 * Reading values at document paths. Paths are at most 32 elements long (limits.ts), which
 * bounds every walk here.
 */
import type { AttributeValue, Item } from '../values/types.js'
import type { DocumentPath } from './ast.js'
import { ownMember } from '../values/members.js'

/** The value of one map member or list element of `container`, if it has one. */
export function childValue(container: AttributeValue, element: string | number): AttributeValue | undefined {
  if (typeof element === 'string') {
    if (!('M' in container)) return undefined
    return ownMember(container.M, element)
  }
  if (!('L' in container)) return undefined
  return container.L[element]
}

/** The value at `path` in `item`, or undefined when the path does not lead to a value. */
export function valueAtPath(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  const head = path[0]
  if (item === undefined || typeof head !== 'string' || !Object.hasOwn(item, head)) return undefined
  let current: AttributeValue | undefined = item[head]
  for (let index = 1; index < path.length && current !== undefined; index++) {
    current = childValue(current, path[index]!)
  }
  return current
}

/** Distinct top-level attribute names of `paths`, in first-seen order. */
export function topLevelAttributes(paths: DocumentPath[]): string[] {
  const names = new Set<string>()
  for (const path of paths) {
    if (typeof path[0] === 'string') names.add(path[0])
  }
  return [...names]
}
