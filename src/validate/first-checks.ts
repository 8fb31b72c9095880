/**
 * Checks some operations make before the constraint list (OperationShape.firstCheck); what they
 * find is reported instead of that list.
 */
import { structure, withConstraints, type FirstCheck, type StructureShape } from '../shapes/shape.js'
import { returnValuesNewerEnum } from '../shapes/common.js'
import { constraintsProblem, constraintViolations } from './constraints.js'
import { writeReturnValuesProblem } from './return-values.js'
import { newerEnumViolation, newerViolation, violationsMessage } from './violations.js'
import { isArnForm } from '../tables/table-name-arns.js'

/**
 * The control plane checks TableName's presence and length first. A name of the wrong length is
 * reported with TableName's own violations only, in the usual words ("Value '' at 'tableName'
 * failed to satisfy constraint: …"; an AWS-validated suite's CreateTable validation-ordering
 * cases), no longer dynalite's "TableName must be at least 3 characters long".
 */
export function tableNameFirst(input: Record<string, unknown>, shape: StructureShape): string | undefined {
  const tableName = input.TableName
  if (tableName === undefined) return "The parameter 'TableName' is required but was not present in the request"
  const length = (tableName as string).length
  if ((length >= 3 && length <= 255) || isArnForm(tableName as string)) return undefined
  const tableNameShape = withConstraints(shape.members.TableName!, { lengthMin: 3, lengthMax: 255 })
  return constraintsProblem({ TableName: tableName }, structure(shape.name, { TableName: tableNameShape }))
}

/**
 * An unknown ConditionalOperator joining two or more legacy conditions (Query's QueryFilter, a
 * single-item write's Expected) is reported alone, ahead of every constraint, and with
 * DynamoDB's own odd enum ([ALL, OR]; an AWS-validated suite, eu-west-2 and us-east-1, for Query;
 * its deep-request notes for PutItem and UpdateItem). With one condition, or none, the enum
 * constraint reports it.
 */
export function conditionalOperatorFirst(input: Record<string, unknown>, conditions: 'QueryFilter' | 'Expected'): string | undefined {
  const operator = input.ConditionalOperator
  const filter = input[conditions]
  if (typeof operator !== 'string' || operator === 'AND' || operator === 'OR') return undefined
  if (typeof filter !== 'object' || filter === null || Object.keys(filter).length < 2) return undefined
  return conditionalOperatorMessage
}

const conditionalOperatorMessage = newerEnumViolation(['ALL', 'OR'])

/**
 * Members checked before the rest, their violations listed without the others': BatchWriteItem
 * reports an unknown ReturnConsumedCapacity alone beside a malformed table name, and with an
 * unknown ReturnItemCollectionMetrics both, in the usual words (an AWS-validated suite's batch
 * validation-ordering cases, 2026).
 */
export function membersFirst(...members: readonly string[]): FirstCheck {
  let firstShape: StructureShape | undefined
  return (input, shape) => {
    if (members.every((member) => input[member] === undefined)) return undefined
    firstShape ??= structure(shape.name, Object.fromEntries(members.map((member) => [member, shape.members[member]!])))
    return constraintsProblem(input, firstShape)
  }
}

/**
 * PutItem, UpdateItem and DeleteItem answer with DynamoDB's newer validation (31 of 33 regions in
 * an AWS-validated suite's cross-region capture and registry, 2026), but only once the request
 * carries the item or key it writes (without it the older list of every violation stands: the same
 * suite's UpdateItem validation-ordering cases) and only for a request that does not nest too deep
 * for it (nestsPastNewerValidation). The newer validation stops at an empty TableName, naming it
 * as the model spells it and echoing nothing, whatever else is wrong; then at an unknown
 * ConditionalOperator over two Expected conditions (conditionalOperatorFirst: "At 33 and 40 levels
 * the newer [ALL, OR] form is reported", past 62 the older one). An unknown ReturnValues is
 * reported in its own words too: UpdateItem reports it alone, ahead of an unknown
 * ReturnConsumedCapacity; PutItem and DeleteItem list it among the other violations (the same
 * capture: two or three bad enums).
 */
export function singleItemWriteFirst(operation: 'PutItem' | 'UpdateItem' | 'DeleteItem'): FirstCheck {
  const written = operation === 'PutItem' ? 'Item' : 'Key'
  return (input, shape) => {
    if (input[written] === undefined) return undefined
    const emptyTableName = input.TableName === ''
    const operatorProblem = conditionalOperatorFirst(input, 'Expected')
    const unknown = isUnknownReturnValues(input.ReturnValues, shape)
    const newerProblem = emptyTableName || operatorProblem !== undefined || unknown
    // PutItem's and DeleteItem's ReturnValues may only be ALL_OLD or NONE.
    const notOldOnly = operation !== 'UpdateItem' && !unknown && writeReturnValuesProblem(input.ReturnValues) !== undefined
    if (!newerProblem && !notOldOnly) return undefined
    if (nestsPastNewerValidation(input)) return notOldOnly ? olderReturnValuesProblem(input, shape) : undefined
    if (emptyTableName) return emptyTableNameMessage
    // In the envelope, as every message of these writes is (Query's comes bare).
    if (operatorProblem !== undefined) return violationsMessage([operatorProblem])
    if (!unknown) return undefined
    return operation === 'UpdateItem'
      ? unknownReturnValuesMessage
      : violationsMessage(constraintViolations(input, withNewerReturnValues(shape)))
  }
}

/**
 * Read the older way, PutItem and DeleteItem refuse a ReturnValues other than ALL_OLD or NONE
 * right after the constraint list, bare and ahead of a value's nesting (the suite's deep-request
 * DeleteItem case: UPDATED_NEW beside a condition value nested 100 levels).
 */
function olderReturnValuesProblem(input: Record<string, unknown>, shape: StructureShape): string | undefined {
  return constraintsProblem(input, shape) ?? writeReturnValuesProblem(input.ReturnValues)
}

const emptyTableNameMessage =
  violationsMessage([newerViolation('TableName', 'Member must have length greater than or equal to 1')])
const unknownReturnValuesMessage = violationsMessage([newerEnumViolation(returnValuesNewerEnum)])

function isUnknownReturnValues(returnValues: unknown, shape: StructureShape): boolean {
  return typeof returnValues === 'string' && shape.members.ReturnValues?.enum?.includes(returnValues) === false
}

/**
 * JSON nesting the newer validation reads. Past "about 62 levels" of maps around a value, the
 * single-item writes "read the request differently and answer in an older form" (the same suite's
 * deep-request cases: 40 levels get the newer words, 63 and 100 the older "Value 'BOGUS' at
 * 'returnValues'"). A value nested 62 levels deep sits 127 or 128 JSON levels down in any of
 * Item, Key, ExpressionAttributeValues or Expected, 63 levels 129 or 130: so 128.
 */
const newerValidationDepthMax = 128

function nestsPastNewerValidation(input: unknown): boolean {
  const deeper = (value: unknown, depth: number): boolean => {
    if (typeof value !== 'object' || value === null) return false
    if (depth > newerValidationDepthMax) return true
    for (const member of Object.values(value)) if (deeper(member, depth + 1)) return true
    return false
  }
  return deeper(input, 1)
}

const newerReturnValuesShapes = new WeakMap<StructureShape, StructureShape>()

/** The shape with ReturnValues' enum violation in the newer words; made once per shape. */
function withNewerReturnValues(shape: StructureShape): StructureShape {
  let newer = newerReturnValuesShapes.get(shape)
  if (newer === undefined) {
    const returnValues = withConstraints(shape.members.ReturnValues!, { newerEnum: returnValuesNewerEnum })
    newer = structure(shape.name, { ...shape.members, ReturnValues: returnValues })
    newerReturnValuesShapes.set(shape, newer)
  }
  return newer
}
