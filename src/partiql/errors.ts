/**
 * Errors only PartiQL statements produce. The statement's own syntax errors all share one
 * envelope, "Statement wasn't well formed, can't be processed: <detail>", with DynamoDB's short
 * details ("Unexpected term", "Unexpected token after expression", ...).
 */
import { DynamoError, ValidationException } from '../errors.js'

/** INSERT of an item whose primary key already exists. */
export class DuplicateItemException extends DynamoError {
  readonly type = 'DuplicateItemException'
  constructor() { super('Duplicate primary key exists in table') }
}

export function malformedStatement(detail: string): ValidationException {
  return new ValidationException(`Statement wasn't well formed, can't be processed: ${detail}`)
}

export const missingKeyEqualityMessage = 'Where clause does not contain a mandatory equality on all key attributes'

/**
 * A write statement that does not give its table's key: a WHERE that names no single item, an
 * INSERT without a key attribute. ExecuteStatement and BatchExecuteStatement refuse it with the
 * message; ExecuteTransaction cancels, this statement's reason a ValidationError worded as
 * TransactWriteItems words a bad key (`reason`), every other statement's None (floci's PartiQL
 * edge cases, recorded against DynamoDB, eu-west-2, 2026-09-17).
 */
export class StatementKeyProblem extends ValidationException {
  constructor(message: string, readonly reason: string) { super(message) }
}

export function missingKeyEquality(): StatementKeyProblem {
  return new StatementKeyProblem(missingKeyEqualityMessage, 'The provided key element does not match the schema')
}

/** A key attribute given a value of another type than the table's schema declares. */
export function mistypedKeyAttribute(attribute: string): ValidationException {
  return new ValidationException(`Key attribute's data type should match its data type in table's schema: Key ${attribute}`)
}
