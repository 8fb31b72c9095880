/**
 * SearchVectors' SearchConditionExpression: equalities on the index's SearchSchema attributes,
 * joined by AND. A HASH element must be given (it names the partition of the index searched);
 * INLINE_FILTER elements may be. Any other comparator, function or connective is refused, on
 * either kind (the developer guide's "equality only"; an AWS-validated suite, tier3
 * searchVectors, eu-west-2, 2026-08-11, which also records the messages).
 */
import { ValidationException } from '../errors.js'
import type { Condition, Operand } from '../expressions/index.js'
import type { VectorIndexSchema } from './index-definition.js'

const hashRequired = 'SearchConditionExpression must be provided when SearchSchema has a HASH key'
const badComparator = 'Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression'

/** Throws DynamoDB's ValidationException when the condition does not fit the index. */
export function checkSearchCondition(index: VectorIndexSchema, condition: Condition | undefined): void {
  const hashAttributes = index.searchSchema.filter((element) => element.SearchSchemaElementType === 'HASH').map((element) => element.AttributeName)
  if (condition === undefined) {
    if (hashAttributes.length > 0) throw new ValidationException(hashRequired)
    return
  }
  const named = new Set<string>()
  collectEqualities(condition, named)
  for (const name of named) {
    if (!index.searchSchema.some((element) => element.AttributeName === name)) {
      throw new ValidationException(`SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: ${name}`)
    }
  }
  if (hashAttributes.some((name) => !named.has(name))) throw new ValidationException(hashRequired)
}

/** The attributes the equalities name; throws on anything that is not an AND of equalities. */
function collectEqualities(condition: Condition, named: Set<string>): void {
  if (condition.kind === 'and') {
    collectEqualities(condition.left, named)
    collectEqualities(condition.right, named)
    return
  }
  if (condition.kind !== 'compare' || condition.comparator !== '=') throw new ValidationException(badComparator)
  for (const operand of [condition.left, condition.right]) {
    const name = topLevelName(operand)
    if (name !== undefined) named.add(name)
  }
}

function topLevelName(operand: Operand): string | undefined {
  if (operand.kind !== 'path') return undefined
  const [head] = operand.path
  if (operand.path.length !== 1 || typeof head !== 'string') throw new ValidationException(badComparator)
  return head
}
