/**
 * The KeySchema rules of a global secondary index, which since November 2025 may have
 * multi-attribute keys: up to four HASH elements followed by up to four RANGE elements, all
 * different attributes. Tables and local indexes keep one HASH and at most one RANGE element.
 *
 * A schema of one HASH and one RANGE element keeps DynamoDB's long-standing messages. The
 * messages for the new ways to go wrong (a duplicate among several elements, HASH after RANGE,
 * more than four of a kind) are DynamoDB's as an API-quirks lab's catalogue recorded them
 * against AWS (2026-10, DDB-TABLE-442).
 */

export interface KeySchemaEntry {
  AttributeName: string
  KeyType: string
}

/** Partition (HASH) and sort (RANGE) attributes each, in a GSI's multi-attribute key. */
export const keyAttributesPerRoleMax = 4
/** Every element of a GSI KeySchema: four of each kind. */
export const globalIndexKeySchemaLengthMax = 2 * keyAttributesPerRoleMax

/** The first problem with a GSI's KeySchema, in the order DynamoDB checks a table's; undefined if none. */
export function globalIndexKeySchemaProblem(keySchema: KeySchemaEntry[]): string | undefined {
  const names = keySchema.map((element) => element.AttributeName)
  const duplicate = names.find((name, position) => names.indexOf(name) !== position)
  if (duplicate !== undefined) {
    // Two HASH elements of one name are a duplicate too, not a hash and range key of one name.
    return keySchema.length === 2 && keySchema[1]!.KeyType === 'RANGE'
      ? 'Both the Hash Key and the Range Key element in the KeySchema have the same name'
      : 'The KeySchema contains multiple key attributes with the same name'
  }
  if (keySchema[0]!.KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'
  const firstRange = keySchema.findIndex((element) => element.KeyType === 'RANGE')
  if (firstRange >= 0 && keySchema.slice(firstRange).some((element) => element.KeyType !== 'RANGE')) {
    return 'One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema'
  }
  for (const keyType of ['HASH', 'RANGE']) {
    const count = keySchema.filter((element) => element.KeyType === keyType).length
    if (count > keyAttributesPerRoleMax) {
      return `One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of ${keyType} key attributes`
    }
  }
  return undefined
}
