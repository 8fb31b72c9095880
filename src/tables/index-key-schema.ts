/**
 * The KeySchema rules of a global secondary index, which since November 2025 may have
 * multi-attribute keys: up to four HASH elements followed by up to four RANGE elements, all
 * different attributes. Tables and local indexes keep one HASH and at most one RANGE element.
 *
 * A schema of one HASH and one RANGE element keeps DynamoDB's long-standing messages. The
 * messages for the new ways to go wrong (a duplicate among several elements, HASH after
 * RANGE) are not documented and are unconfirmed (see docs/compatibility.md); those for more
 * than four of a kind are DynamoDB Local 2026-05-28's.
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
    // Two HASH elements of one name are a duplicate too, not a hash and range key of one name
    // (Alternator's test_gsi_composite_duplicate_attr_rejected expects "Duplicate").
    return keySchema.length === 2 && keySchema[1]!.KeyType === 'RANGE'
      ? 'Both the Hash Key and the Range Key element in the KeySchema have the same name'
      : `Invalid KeySchema: Duplicate attribute name in KeySchema: ${duplicate}`
  }
  if (keySchema[0]!.KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'
  const firstRange = keySchema.findIndex((element) => element.KeyType === 'RANGE')
  if (firstRange >= 0 && keySchema.slice(firstRange).some((element) => element.KeyType !== 'RANGE')) {
    return 'Invalid KeySchema: All HASH key elements must come before the RANGE key elements'
  }
  for (const [keyType, role] of [['HASH', 'partition'], ['RANGE', 'sort']]) {
    const count = keySchema.filter((element) => element.KeyType === keyType).length
    if (count > keyAttributesPerRoleMax) {
      return `Too many ${role} keys. GSI can have at most ${keyAttributesPerRoleMax} ${role} keys`
    }
  }
  return undefined
}
