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

/** A key attribute given a value of another type than the table's schema declares. */
export function mistypedKeyAttribute(attribute: string): ValidationException {
  return new ValidationException(`Key attribute's data type should match its data type in table's schema: Key ${attribute}`)
}
