/**
 * Checks some operations make before the constraint list (OperationShape.firstCheck); what they
 * find is reported alone.
 */
import { structure, withConstraints, type StructureShape } from '../shapes/shape.js'
import { constraintsProblem } from './constraints.js'
import { newerViolation, violationsMessage } from './violations.js'

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
 * an AWS-validated suite's cross-region capture, 2026), but only once the request carries the item
 * or key it writes: without it the older list of every violation stands (the same suite's
 * UpdateItem validation-ordering cases). The newer validation stops at an empty TableName, naming
 * it as the model spells it and echoing nothing, whatever else is wrong.
 */
export function singleItemWriteFirst(written: 'Item' | 'Key'): (input: Record<string, unknown>) => string | undefined {
  return (input) => {
    if (input[written] === undefined) return undefined
    if (input.TableName === '') return emptyTableNameMessage
    return undefined
  }
}

const emptyTableNameMessage =
  violationsMessage([newerViolation('TableName', 'Member must have length greater than or equal to 1')])
