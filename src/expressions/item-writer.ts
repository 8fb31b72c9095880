/**
 * Copy-on-write edits of an item at a document path: every container on the path is copied,
 * so the item the edit started from (and anything sharing its values) is never changed.
 */
import { ValidationException } from '../errors.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { DocumentPath } from './ast.js'
import { ownMember, setMember } from '../values/members.js'

export const invalidPathMessage = 'The document path provided in the update expression is invalid for update'

/** A copy of `container` with `element` replaced by what `change` makes of its current value. */
type Change = (current: AttributeValue | undefined) => AttributeValue | undefined

/**
 * What to do when a path's parent is missing or is not the map or list the path needs:
 * 'fail' with invalidPathMessage, or 'ignore' the edit.
 */
export type InvalidPathPolicy = 'fail' | 'ignore'

/** Copies the containers along `path` and applies `change` at its end. */
function editAtPath(item: Item, path: DocumentPath, change: Change, onMissing: InvalidPathPolicy): Item {
  const head = path[0] as string
  const result = { ...item }
  if (path.length === 1) {
    const value = change(ownMember(item, head))
    if (value === undefined) delete result[head]
    else setMember(result, head, value)
    return result
  }
  if (!Object.hasOwn(item, head)) {
    if (onMissing === 'fail') throw new ValidationException(invalidPathMessage)
    return item
  }
  const edited = editContainer(item[head]!, path, 1, change, onMissing)
  if (edited === undefined) return item
  setMember(result, head, edited)
  return result
}

/** Edits `container` at path[depth...]; undefined means "nothing to change". Depth <= 32. */
function editContainer(
  container: AttributeValue, path: DocumentPath, depth: number, change: Change, onMissing: InvalidPathPolicy,
): AttributeValue | undefined {
  const element = path[depth]!
  const last = depth === path.length - 1
  const missing = (): undefined => {
    if (onMissing === 'fail') throw new ValidationException(invalidPathMessage)
    return undefined
  }
  if (typeof element === 'string') {
    if (!('M' in container)) return missing()
    const map = { ...container.M }
    if (last) {
      const value = change(ownMember(map, element))
      if (value === undefined) delete map[element]
      else setMember(map, element, value)
      return { M: map }
    }
    if (!Object.hasOwn(map, element)) return missing()
    const edited = editContainer(map[element]!, path, depth + 1, change, onMissing)
    if (edited === undefined) return undefined
    setMember(map, element, edited)
    return { M: map }
  }
  if (!('L' in container)) return missing()
  const list = [...container.L]
  if (last) {
    const value = change(list[element])
    if (value === undefined) {
      if (element < list.length) list.splice(element, 1)
    } else if (element < list.length) {
      list[element] = value
    } else {
      // DynamoDB quirk: SET a[n] past the end of the list appends the value.
      list.push(value)
    }
    return { L: list }
  }
  if (element >= list.length) return missing()
  const edited = editContainer(list[element]!, path, depth + 1, change, onMissing)
  if (edited === undefined) return undefined
  list[element] = edited
  return { L: list }
}

/** `item` with `value` at `path`; the path's parent must exist. */
export function writeAtPath(item: Item, path: DocumentPath, value: AttributeValue): Item {
  return editAtPath(item, path, () => value, 'fail')
}

/**
 * `item` without the value at `path`. A missing last element (map member, or list index past
 * the end) changes nothing; a missing or mistyped parent is handled as `onInvalidPath` says.
 */
export function removeAtPath(item: Item, path: DocumentPath, onInvalidPath: InvalidPathPolicy): Item {
  return editAtPath(item, path, () => undefined, onInvalidPath)
}
