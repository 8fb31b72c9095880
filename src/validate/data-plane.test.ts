/**
 * Step 3 for item operations: cross-field checks, first failure wins. Messages as recorded from
 * live DynamoDB by dynalite's tests. Checks that need the table come later, in the operations.
 */
import { test } from 'node:test'
import { inEnvelope } from './index.js'
import { assertValid, assertValidation, violations } from './test-helpers.js'

/**
 * PutItem, UpdateItem and DeleteItem report these inside the "1 validation error detected: "
 * envelope (an AWS-validated suite's valueLayers and request validation envelope cases).
 */
function assertWriteValidation(operation: string, input: unknown, message: string): void {
  assertValidation(operation, input, inEnvelope(message))
}

const item = { a: { S: 'x' } }

test('expression and legacy parameters cannot be mixed', () => {
  assertWriteValidation('PutItem', {
    TableName: 'abc', Item: item, Expected: { a: {} }, ExpressionAttributeNames: {}, ConditionExpression: '',
  }, 'Can not use both expression and non-expression parameters in the same request: ' +
    'Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}')
  assertWriteValidation('PutItem', { TableName: 'abc', Item: item, Expected: { a: {} }, ExpressionAttributeNames: {} },
    'ExpressionAttributeNames can only be specified when using expressions')
  assertWriteValidation('PutItem', { TableName: 'abc', Item: item, ExpressionAttributeValues: {} },
    'ExpressionAttributeValues can only be specified when using expressions')
  assertWriteValidation('UpdateItem', { TableName: 'abc', Key: item, ExpressionAttributeValues: {} },
    'ExpressionAttributeValues can only be specified when using expressions')
  assertValidation('Query', { TableName: 'abc', AttributesToGet: ['a'], ProjectionExpression: 'a', KeyConditions: {} },
    'Can not use both expression and non-expression parameters in the same request: ' +
    'Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}')
})

test('AttributeValues in Item and Key are well-formed, with DynamoDB\'s own reasons', () => {
  assertWriteValidation('PutItem', { TableName: 'abc', Item: { a: {} } },
    'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
  assertWriteValidation('PutItem', { TableName: 'abc', Item: { a: { SS: ['a', 'a'] } } },
    'One or more parameter values were invalid: Input collection ["a", "a"] contains duplicates.')
  assertValidation('GetItem', { TableName: 'abc', Key: { a: { S: 'a', N: '1' } } },
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes')
  assertWriteValidation('DeleteItem', { TableName: 'abc', Key: { a: { N: 'b' } } },
    'The parameter cannot be converted to a numeric value: b')
})

test('ExclusiveStartKey and ExpressionAttributeValues wrap the reason in their own context', () => {
  assertValidation('Scan', { TableName: 'abc', ExclusiveStartKey: { a: {} } },
    'The provided starting key is invalid: ' +
    'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
  // An unknown ConditionalOperator over two QueryFilter conditions comes alone, before Select's
  // enum, in DynamoDB's odd words; over one condition the enum constraint reports it (the same suite).
  const keyConditions = { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }
  assertValidation('Query', { TableName: 'abc', KeyConditions: keyConditions, ConditionalOperator: 'XOR', Select: 'BOGUS',
    QueryFilter: { b: { ComparisonOperator: 'NULL' }, c: { ComparisonOperator: 'NULL' } } },
  'Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]')
  assertValidation('Query', { TableName: 'abc', KeyConditions: keyConditions, ConditionalOperator: 'XOR', QueryFilter: { b: { ComparisonOperator: 'NULL' } } },
    "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]")
  // Query's Limit is named with a capital L, its value not echoed (the same suite).
  assertValidation('Query', { TableName: 'abc', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, Limit: 0 },
    "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  // Query's is bare (an AWS-validated suite's valueLayers case).
  assertValidation('Query', { TableName: 'abc', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } },
    ExclusiveStartKey: { a: { SS: ['b', 'a', 'b'] } } },
  'One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.')
  assertWriteValidation('PutItem', {
    TableName: 'abc', Item: item, ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { NS: [] } },
  }, 'One or more parameter values were invalid: An number set  may not be empty')
})

test('placeholder maps must be non-empty and well named', () => {
  const put = { TableName: 'abc', Item: item, ConditionExpression: 'x' }
  assertWriteValidation('PutItem', { ...put, ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty')
  assertWriteValidation('PutItem', { ...put, ExpressionAttributeNames: { a: 'a' } },
    'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"')
  assertWriteValidation('PutItem', { ...put, ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty')
  assertWriteValidation('PutItem', { ...put, ExpressionAttributeValues: { b: { S: 'x' } } },
    'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"')
  assertValid('PutItem', { ...put, ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':b': item.a } })
})

test('PutItem: ReturnValues and item size', () => {
  assertWriteValidation('PutItem', { TableName: 'abc', Item: item, ReturnValues: 'ALL_NEW' },
    'ReturnValues can only be ALL_OLD or NONE')
  assertWriteValidation('PutItem', { TableName: 'abc', Item: { a: { S: 'x'.repeat(400 * 1024) } } },
    'Item size has exceeded the maximum allowed size')
})

// The single-item writes answer with DynamoDB's newer validation once they carry the item or key
// they write: it stops at an empty TableName, named as the model spells it and not echoed
// (an AWS-validated suite's cross-region capture and registry row
// put-item-validation-error-aggregation, 31 of 33 regions, 2026).
test('single-item writes with their item or key report an empty TableName alone', () => {
  const emptyName = inEnvelope("Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1")
  assertValidation('PutItem', { TableName: '', Item: {} }, emptyName)
  assertValidation('PutItem', { TableName: '', Item: item, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' }, emptyName)
  assertValidation('DeleteItem', { TableName: '', Key: {} }, emptyName)
  assertValidation('UpdateItem', { TableName: '', Key: item, ReturnValues: 'INVALID' }, emptyName)
  // Without the key, UpdateItem keeps the older list of every violation (the same suite's
  // UpdateItem validation-ordering cases).
  assertValidation('UpdateItem', { TableName: '', ReturnValues: 'INVALID' }, violations(
    "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    "Value 'INVALID' at 'returnValues' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]',
    "Value null at 'key' failed to satisfy constraint: Member must not be null",
  ))
})

// The newer validation words an unknown ReturnValues without value or member, with its own enum:
// UpdateItem reports it alone, ahead of ReturnConsumedCapacity's; PutItem and DeleteItem list it
// with the other violations (the same capture and registry row update-item-validation-error-aggregation,
// 31 of 33 regions); past about 62 levels of nesting the older words stand (the suite's deep DeleteItem cases).
test('single-item writes with their item or key word an unknown ReturnValues the newer way', () => {
  const newerReturnValues = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]'
  const enumViolation = (value: string, path: string, values: string) =>
    `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${values}]`
  const badCapacity = enumViolation('INVALID', 'returnConsumedCapacity', 'INDEXES, TOTAL, NONE')
  assertValidation('UpdateItem', { TableName: 'abc', Key: item, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' },
    violations(newerReturnValues))
  assertValidation('PutItem', {
    TableName: 'abc', Item: item, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID', ReturnItemCollectionMetrics: 'INVALID',
  }, violations(badCapacity, newerReturnValues, enumViolation('INVALID', 'returnItemCollectionMetrics', 'SIZE, NONE')))
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' },
    violations(badCapacity, newerReturnValues))
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnValues: 'BOGUS' }, violations(newerReturnValues))
  const nested = (depth: number): unknown => depth === 0 ? { S: 'leaf' } : { M: { n: nested(depth - 1) } }
  const deepCondition = (depth: number) => ({ ConditionExpression: 'd = :deep', ExpressionAttributeValues: { ':deep': nested(depth) } })
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnValues: 'BOGUS', ...deepCondition(62) }, violations(newerReturnValues))
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnValues: 'BOGUS', ...deepCondition(63) },
    violations(enumViolation('BOGUS', 'returnValues', 'ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW')))
  // Read the older way, a ReturnValues DeleteItem cannot return is refused bare, ahead of the nesting.
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnValues: 'UPDATED_NEW', ...deepCondition(100) },
    'ReturnValues can only be ALL_OLD or NONE')
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, ReturnValues: 'UPDATED_NEW' },
    '1 validation error detected: ReturnValues can only be ALL_OLD or NONE')
  assertValidation('UpdateItem', { TableName: 'abc', Key: item, ...deepCondition(63), UpdateExpression: 'SET d = :deep', ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' },
    violations(badCapacity, enumViolation('INVALID', 'returnValues', 'ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW')))
})

// An unknown ConditionalOperator over two Expected conditions is reported as Query reports it over
// two QueryFilter conditions, in the newer [ALL, OR] words (in the envelope every message of these
// writes has), up to about 62 levels of nesting
// (the suite's deep-request notes: 40 levels newer, 100 older); over one condition, or with the
// Key left out, the older enum constraint reports it.
test('single-item writes word an unknown ConditionalOperator the newer way', () => {
  const newer = '1 validation error detected: Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]'
  const older = "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]"
  const nested = (depth: number): unknown => depth === 0 ? { S: 'leaf' } : { M: { n: nested(depth - 1) } }
  const two = (depth: number) => ({ a: { Value: nested(depth) }, b: { Exists: false } })
  assertValidation('PutItem', { TableName: 'abc', Item: item, Expected: two(0), ConditionalOperator: 'XOR' }, newer)
  assertValidation('DeleteItem', { TableName: 'abc', Key: item, Expected: two(40), ConditionalOperator: 'XOR' }, newer)
  assertValidation('UpdateItem', { TableName: 'abc', Key: item, Expected: two(100), ConditionalOperator: 'XOR' }, older)
  assertValidation('PutItem', { TableName: 'abc', Item: item, Expected: { b: { Exists: false } }, ConditionalOperator: 'XOR' }, older)
})

test('legacy Expected conditions', () => {
  const put = (expected: unknown) => ({ TableName: 'abc', Item: item, Expected: { a: expected } })
  const invalid = 'One or more parameter values were invalid: '
  assertWriteValidation('PutItem', put({}), `${invalid}Value must be provided when Exists is null for Attribute: a`)
  assertWriteValidation('PutItem', put({ Exists: false, Value: item.a }),
    `${invalid}Value cannot be used when Exists is false for Attribute: a`)
  assertWriteValidation('PutItem', put({ ComparisonOperator: 'EQ', Exists: true }),
    `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`)
  assertWriteValidation('PutItem', put({ ComparisonOperator: 'EQ' }),
    `${invalid}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`)
  assertWriteValidation('PutItem', put({ ComparisonOperator: 'BETWEEN', AttributeValueList: [item.a] }),
    `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`)
  assertWriteValidation('PutItem', put({ AttributeValueList: [item.a] }),
    `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`)
  assertWriteValidation('PutItem', put({ ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '10' }, { N: '9' }] }),
    'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound')
  // Numbers compare by value, not as text: 2 <= 10.
  assertValid('PutItem', put({ ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '10' }] }))
})

test('UpdateItem: AttributeUpdates actions', () => {
  const update = (attributeUpdate: unknown) => ({ TableName: 'abc', Key: item, AttributeUpdates: { b: attributeUpdate } })
  const invalid = 'One or more parameter values were invalid: '
  assertWriteValidation('UpdateItem', update({}), `${invalid}Only DELETE action is allowed when no attribute value is specified`)
  assertWriteValidation('UpdateItem', update({ Action: 'DELETE', Value: { S: 'x' } }),
    `${invalid}DELETE action with value is not supported for the type S`)
  assertWriteValidation('UpdateItem', update({ Action: 'ADD', Value: { S: 'x' } }),
    `${invalid}ADD action is not supported for the type S`)
  assertValid('UpdateItem', update({ Action: 'ADD', Value: { N: '1' } }))
})

test('Query and Scan: conditions, key conditions and segments', () => {
  assertValidation('Query', { TableName: 'abc' },
    'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.')
  assertValidation('Query', { TableName: 'abc', KeyConditions: {} }, 'Conditions can be of length 1 or 2 only')
  assertValidation('Query', { TableName: 'abc', KeyConditions: { a: { ComparisonOperator: 'EQ' } } },
    'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator')
  assertValidation('Scan', { TableName: 'abc', ScanFilter: { a: { ComparisonOperator: 'GT', AttributeValueList: [{ BOOL: true }] } } },
    'One or more parameter values were invalid: ComparisonOperator GT is not valid for BOOL AttributeValue type')
  assertValidation('Scan', {
    TableName: 'abc', ScanFilter: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '10' }, { N: '9' }] } },
  }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound')
  assertValidation('Scan', { TableName: 'abc', AttributesToGet: ['a', 'a'] },
    'One or more parameter values were invalid: Duplicate value in attribute name: a')
  assertValidation('Scan', { TableName: 'abc', Segment: 1 },
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
  assertValidation('Scan', { TableName: 'abc', TotalSegments: 2 },
    'The Segment parameter is required but was not present in the request when parameter TotalSegments is present')
  assertValidation('Scan', { TableName: 'abc', Segment: 2, TotalSegments: 2 },
    'The Segment parameter is zero-based and must be less than parameter TotalSegments')
  assertValidation('Scan', { TableName: 'abc', Segment: 0 },
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
})

test('BatchGetItem: duplicate keys and the 100-key limit across tables', () => {
  const key = { a: { S: 'x' }, b: { N: '1' } }
  assertValidation('BatchGetItem', { RequestItems: { abc: { Keys: [key, { b: { N: '1.0' }, a: key.a }] } } },
    'Provided list of item keys contains duplicates')
  const keys = Array.from({ length: 100 }, (_, index) => ({ a: { S: String(index) } }))
  assertValid('BatchGetItem', { RequestItems: { abc: { Keys: keys } } })
  assertValidation('BatchGetItem', { RequestItems: { abc: { Keys: keys }, abd: { Keys: [{ a: { S: '100' } }] } } },
    'Too many items requested for the BatchGetItem call')
  assertValidation('BatchGetItem', { RequestItems: { abc: { Keys: [{}], AttributesToGet: ['a', 'a'] } } },
    'One or more parameter values were invalid: Duplicate value in attribute name: a')
})

test('BatchWriteItem: each request is exactly one of put or delete', () => {
  const union = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'
  assertValidation('BatchWriteItem', { RequestItems: { abc: [{}] } }, union)
  assertValidation('BatchWriteItem', { RequestItems: { abc: [{ PutRequest: { Item: item }, DeleteRequest: { Key: item } }] } }, union)
  assertValidation('BatchWriteItem', { RequestItems: { abc: [{ PutRequest: { Item: { a: { NULL: false } } } }] } },
    'One or more parameter values were invalid: Null attribute value types must have the value of true')
})

test('transactions: a token\'s violation comes before ReturnConsumedCapacity\'s', () => {
  const token = 'x'.repeat(37)
  assertValidation('TransactWriteItems', { TransactItems: [{ ConditionCheck: { TableName: 'abc', Key: { a: { S: 'b' } }, ConditionExpression: 'attribute_exists(a)' } }],
    ClientRequestToken: token, ReturnConsumedCapacity: 'BOGUS' }, violations(
    `Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
    "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
  ))
})

test('transactions: one action per item, well-formed keys and items', () => {
  assertValidation('TransactWriteItems', { TransactItems: [{}] },
    'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request')
  assertValidation('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'abc', Item: item }, Delete: { TableName: 'abc', Key: item } }] },
    'TransactItems can only contain one of Check, Put, Update or Delete')
  assertValidation('TransactWriteItems', { TransactItems: [{ Delete: { TableName: 'abc', Key: { a: {} } } }] },
    'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
  assertValidation('TransactGetItems', { TransactItems: [{ Get: { TableName: 'abc', Key: item, ExpressionAttributeNames: {} } }] },
    'ExpressionAttributeNames must not be empty')
  assertValid('TransactWriteItems', { TransactItems: [{ Update: { TableName: 'abc', Key: item, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': item.a } } }] })
})
