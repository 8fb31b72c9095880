/**
 * Checks some operations make before the constraint list (OperationShape.firstCheck); what they
 * find is reported alone.
 */
import { structure, withConstraints, type StructureShape } from '../shapes/shape.js'
import { constraintsProblem } from './constraints.js'

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
