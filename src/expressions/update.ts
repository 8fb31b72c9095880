/**
 * Applying an update plan to an item (pure: the input item is never changed, so a write may
 * be retried with the same plan). All right-hand sides are evaluated against the item as it
 * was before the update, as DynamoDB does.
 */
import { ValidationException } from '../errors.js'
import { normalizeAttributeValue, setMemberIdentity } from '../values/attribute-value.js'
import { addNumbers, subtractNumbers } from '../values/number.js'
import type { AttributeValue, Item } from '../values/types.js'
import type { DocumentPath, Operand, UpdateAction, UpdatePlan } from './ast.js'
import { valueAtPath } from './document-path.js'
import { ItemDraft, type InvalidPathPolicy } from './item-writer.js'

export const incorrectOperandTypeMessage = 'An operand in the update expression has an incorrect data type'
export const legacyTypeMismatchMessage = 'Type mismatch for attribute to update'
export const missingAttributeMessage = 'The provided expression refers to an attribute that does not exist in the item'

export interface UpdateResult {
  item: Item
  /** The paths the plan wrote or removed, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
  updatedPaths: DocumentPath[]
}

type Write = { path: DocumentPath; value: AttributeValue | undefined }

export interface ApplyUpdateOptions {
  /**
   * Whether the item existed before this update; by default, whether `item` is defined. Pass
   * false when `item` is only the key of an item being created.
   */
  itemExists?: boolean
}

/**
 * Applies `plan` to `item` (undefined: the item does not exist yet).
 *
 * REMOVE and DELETE through a missing or mistyped parent (`REMOVE m.z` with no m, `REMOVE n[0]`
 * with n a number) fail on an existing item, as a SET there always does. On an item that does
 * not exist yet, an update made only of removals is ignored (it creates nothing: Alternator's
 * test_nested_attribute_remove_from_missing_item, checked against DynamoDB); one that creates the
 * item (a SET or ADD beside) fails on such a path as on an existing item, as `SET c.c` does there
 * (DynamoDB Local answers both so).
 */
export function applyUpdate(plan: UpdatePlan, item: Item | undefined, options: ApplyUpdateOptions = {}): UpdateResult {
  const original = item ?? {}
  const typeError = plan.legacy ? legacyTypeMismatchMessage : incorrectOperandTypeMessage
  const onInvalidRemovalPath: InvalidPathPolicy = (options.itemExists ?? item !== undefined) || createsMissingItem(plan) ? 'fail' : 'ignore'
  // First compute every new value from the original item, then write them. Writes never
  // overlap, so their order matters only for SETs past the end of one list: DynamoDB appends
  // those in index order, whatever order the expression lists them in (Alternator's
  // test_nested_attribute_update_array_out_of_bounds).
  const writes: Write[] = plan.actions.filter((action) => action.kind !== 'REMOVE')
    .map((action) => ({ path: action.path, value: newValue(action, original, typeError) }))
    .sort((first, second) => comparePaths(first.path, second.path))
  const draft = new ItemDraft(original)
  for (const write of writes) {
    if (write.value === undefined) draft.remove(write.path, onInvalidRemovalPath)
    else draft.write(write.path, write.value)
  }
  for (const path of removalOrder(plan.actions)) draft.remove(path, onInvalidRemovalPath)
  return { item: draft.item, updatedPaths: plan.actions.map((action) => action.path) }
}

/**
 * Whether `plan` creates an item that does not exist yet. DynamoDB quirk: an update made only
 * of removals (REMOVE, DELETE, AttributeUpdates DELETE) leaves a missing item missing, while any
 * other update, even an empty one, creates the item from its key (Alternator's
 * test_update_item_non_existent and test_update_item_delete, both checked against DynamoDB).
 */
export function createsMissingItem(plan: UpdatePlan | undefined): boolean {
  if (plan === undefined || plan.actions.length === 0) return true
  return plan.actions.some((action) => action.kind === 'SET' || action.kind === 'ADD')
}

/** The value an action leaves at its path; undefined removes it (DELETE of every member). */
function newValue(action: UpdateAction, item: Item, typeError: string): AttributeValue | undefined {
  switch (action.kind) {
    case 'SET': return updateOperandValue(action.value, item, typeError)
    case 'ADD': return addTo(valueAtPath(item, action.path), action.value, typeError)
    case 'DELETE': return deleteFrom(valueAtPath(item, action.path), action.value, typeError)
    case 'REMOVE': return undefined
  }
}

/**
 * REMOVE of list elements refers to indexes in the original list, so removals run from the
 * highest index down: `REMOVE a[1], a[2]` removes the two original elements.
 */
function removalOrder(actions: UpdateAction[]): DocumentPath[] {
  const paths = actions.filter((action) => action.kind === 'REMOVE').map((action) => action.path)
  return paths.sort((first, second) => -comparePaths(first, second))
}

function comparePaths(first: DocumentPath, second: DocumentPath): number {
  for (let index = 0; index < Math.min(first.length, second.length); index++) {
    const a = first[index]!
    const b = second[index]!
    if (a === b) continue
    if (typeof a === 'number' && typeof b === 'number') return a - b
    return String(a) < String(b) ? -1 : 1
  }
  return first.length - second.length
}

function fail(message: string): never {
  throw new ValidationException(message)
}

/** Recursion follows the operand tree, bounded by the parser's function nesting limit. */
function updateOperandValue(operand: Operand, item: Item, typeError: string): AttributeValue {
  switch (operand.kind) {
    case 'value': return operand.value
    case 'path': return valueAtPath(item, operand.path) ?? fail(missingAttributeMessage)
    case 'if_not_exists': return valueAtPath(item, operand.path) ?? updateOperandValue(operand.fallback, item, typeError)
    case 'list_append': {
      const left = updateOperandValue(operand.left, item, typeError)
      const right = updateOperandValue(operand.right, item, typeError)
      if (!('L' in left) || !('L' in right)) return fail(typeError)
      return { L: [...left.L, ...right.L] }
    }
    case 'arithmetic': {
      const left = updateOperandValue(operand.left, item, typeError)
      const right = updateOperandValue(operand.right, item, typeError)
      if (!('N' in left) || !('N' in right)) return fail(typeError)
      return { N: operand.operator === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) }
    }
    case 'size': return fail(typeError) // Rejected when the expression was compiled.
  }
}

type SetKind = 'SS' | 'NS' | 'BS'

function setKind(value: AttributeValue): SetKind | undefined {
  if ('SS' in value) return 'SS'
  if ('NS' in value) return 'NS'
  if ('BS' in value) return 'BS'
  return undefined
}

function setMembers(value: AttributeValue, kind: SetKind): string[] {
  return (value as Record<SetKind, string[]>)[kind]
}

/**
 * ADD: sum of numbers, union of sets; a missing attribute starts as the operand. Lists reach
 * here only from AttributeUpdates, where ADD appends (undocumented, but DynamoDB does it:
 * Alternator's test_update_item_add); UpdateExpression rejects a list operand when compiled.
 */
function addTo(existing: AttributeValue | undefined, operand: AttributeValue, typeError: string): AttributeValue {
  if (existing === undefined) return operand
  if ('N' in existing && 'N' in operand) return { N: addNumbers(existing.N, operand.N) }
  if ('L' in existing && 'L' in operand) return { L: [...existing.L, ...operand.L] }
  const kind = setKind(existing)
  if (kind === undefined || setKind(operand) !== kind) return fail(typeError)
  const members = [...setMembers(existing, kind)]
  const identity = setMemberIdentity(kind)
  const present = new Set(members.map(identity))
  for (const member of setMembers(operand, kind)) {
    const key = identity(member)
    if (present.has(key)) continue
    present.add(key)
    members.push(member)
  }
  // Back into DynamoDB's member order.
  return normalizeAttributeValue({ [kind]: members } as AttributeValue)
}

/** DELETE: set difference; deleting the last member removes the attribute. */
function deleteFrom(
  existing: AttributeValue | undefined, operand: AttributeValue, typeError: string,
): AttributeValue | undefined {
  if (existing === undefined) return undefined
  const kind = setKind(existing)
  if (kind === undefined || setKind(operand) !== kind) return fail(typeError)
  const identity = setMemberIdentity(kind)
  const removed = new Set(setMembers(operand, kind).map(identity))
  const members = setMembers(existing, kind).filter((member) => !removed.has(identity(member)))
  return members.length === 0 ? undefined : { [kind]: members } as AttributeValue
}
