/**
 * Projections: the parts of an item named by document paths. Nested paths keep their
 * structure (`a.b` gives `{a: {M: {b}}}`); list elements picked by index are returned as a
 * shorter list in their original order (`a[3], a[1]` gives `[a[1], a[3]]`).
 */
import type { AttributeValue, Item } from '../values/types.js'
import type { DocumentPath, Projection } from './ast.js'
import { childValue, valueAtPath } from './document-path.js'
import { setMember } from '../values/members.js'

/** What a projection keeps of one value: all of it, or some members or elements. */
type Selection =
  | { kind: 'whole'; value: AttributeValue }
  | { kind: 'members'; members: Map<string, Selection> }
  | { kind: 'elements'; elements: Map<number, Selection> }

export function applyProjection(projection: Projection, item: Item): Item {
  return projectPaths(item, projection.paths)
}

/** The parts of `item` at `paths` (paths that lead nowhere are left out). */
export function projectPaths(item: Item, paths: DocumentPath[]): Item {
  const top = new Map<string, Selection>()
  for (const path of paths) {
    // Only paths that lead to a value add anything (and create their parents).
    if (valueAtPath(item, path) === undefined) continue
    const head = path[0] as string
    select(top, head, item[head]!, path, 1)
  }
  const result: Item = {}
  for (const [name, selection] of top) setMember(result, name, materialize(selection))
  return result
}

/** Records in `parent` the selection of `value` (found at path[0..depth)) along the rest of `path`. */
function select<Key extends string | number>(
  parent: Map<Key, Selection>, key: Key, value: AttributeValue, path: DocumentPath, depth: number,
): void {
  const existing = parent.get(key)
  if (existing?.kind === 'whole') return
  if (depth === path.length) {
    parent.set(key, { kind: 'whole', value })
    return
  }
  const element = path[depth]!
  const child = childValue(value, element)!
  if (typeof element === 'string') {
    const selection = existing?.kind === 'members'
      ? existing
      : { kind: 'members' as const, members: new Map<string, Selection>() }
    parent.set(key, selection)
    select(selection.members, element, child, path, depth + 1)
  } else {
    const selection = existing?.kind === 'elements'
      ? existing
      : { kind: 'elements' as const, elements: new Map<number, Selection>() }
    parent.set(key, selection)
    select(selection.elements, element, child, path, depth + 1)
  }
}

function materialize(selection: Selection): AttributeValue {
  switch (selection.kind) {
    case 'whole': return selection.value
    case 'members': {
      const members: { [name: string]: AttributeValue } = {}
      for (const [name, member] of selection.members) setMember(members, name, materialize(member))
      return { M: members }
    }
    case 'elements': {
      const indexes = [...selection.elements.keys()].sort((a, b) => a - b)
      return { L: indexes.map((index) => materialize(selection.elements.get(index)!)) }
    }
  }
}
