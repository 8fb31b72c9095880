/**
 * Checks some operations make before the constraint list (OperationShape.firstCheck); what they
 * find is reported instead of that list.
 */
import { structure, withConstraints, type FirstCheck, type StructureShape } from '../shapes/shape.js'
import { returnValuesNewerEnum } from '../shapes/common.js'
import { constraintsProblem, constraintViolations } from './constraints.js'
import { newerEnumViolation, newerViolation, violationsMessage } from './violations.js'

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
  if (length >= 3 && length <= 255) return undefined
  const tableNameShape = withConstraints(shape.members.TableName!, { lengthMin: 3, lengthMax: 255 })
  return constraintsProblem({ TableName: tableName }, structure(shape.name, { TableName: tableNameShape }))
}

/**
 * PutItem, UpdateItem and DeleteItem answer with DynamoDB's newer validation (31 of 33 regions in
 * an AWS-validated suite's cross-region capture and registry, 2026), but only once the request
 * carries the item or key it writes: without it the older list of every violation stands (the same
 * suite's UpdateItem validation-ordering cases). The newer validation stops at an empty TableName,
 * naming it as the model spells it and echoing nothing, whatever else is wrong. An unknown
 * ReturnValues is reported in its own words too: UpdateItem reports it alone, ahead of an unknown
 * ReturnConsumedCapacity; PutItem and DeleteItem list it among the other violations (see
 * returnValuesAmongOthers).
 */
export function singleItemWriteFirst(written: 'Item' | 'Key', unknownReturnValues: 'alone' | 'listed'): FirstCheck {
  return (input, shape) => {
    if (input[written] === undefined) return undefined
    if (input.TableName === '') return emptyTableNameMessage
    if (!isUnknownReturnValues(input.ReturnValues, shape)) return undefined
    return unknownReturnValues === 'alone' ? unknownReturnValuesMessage : returnValuesAmongOthers(input, shape)
  }
}

const emptyTableNameMessage =
  violationsMessage([newerViolation('TableName', 'Member must have length greater than or equal to 1')])
const unknownReturnValuesMessage = violationsMessage([newerEnumViolation(returnValuesNewerEnum)])

function isUnknownReturnValues(returnValues: unknown, shape: StructureShape): boolean {
  return typeof returnValues === 'string' && shape.members.ReturnValues?.enum?.includes(returnValues) === false
}

/**
 * PutItem and DeleteItem list an unknown ReturnValues in the newer words beside other violations
 * (the same capture: two or three bad enums); alone it keeps the older "Value 'BOGUS' at
 * 'returnValues' …" (the same suite's DeleteItem validation-ordering cases), which the constraint
 * list gives.
 */
function returnValuesAmongOthers(input: Record<string, unknown>, shape: StructureShape): string | undefined {
  const violations = constraintViolations(input, withNewerReturnValues(shape))
  return violations.length > 1 ? violationsMessage(violations) : undefined
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
