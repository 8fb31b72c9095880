/**
 * The official SDK v2-era DAX client (amazon-dax-client 1.x), unmodified, and the AWS SDK v2
 * DocumentClient on top of it, against EddyDB's DAX wire server. Same protocol as the v3
 * client, older code path: its legacy parameters (AttributesToGet, KeyConditions, Expected)
 * are converted to expressions client-side before they reach us.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startWireFixture, type WireFixture } from './wire-fixture.js'

const require = createRequire(import.meta.url)
const AmazonDaxClient = require('amazon-dax-client') as new (config: object) => any
const AWS = require('aws-sdk') as { DynamoDB: { DocumentClient: new (options: object) => any } }

let fixture: WireFixture
let dax: any
let documents: any

before(async () => {
  fixture = await startWireFixture()
  dax = new AmazonDaxClient({ endpoints: [fixture.seed], region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } })
  documents = new AWS.DynamoDB.DocumentClient({ service: dax })
})

after(async () => {
  dax.shutdown()
  await fixture.close()
})

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
  throw new Error('expected the call to fail')
}

describe('amazon-dax-client (low level)', () => {
  test('PutItem, GetItem, UpdateItem, DeleteItem', async () => {
    await dax.putItem({ TableName: 'items', Item: { pk: { S: 'v1' }, sk: { N: '-2.5' }, v: { S: 'x' }, n: { N: '10' } } }).promise()
    const got = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'v1' }, sk: { N: '-2.5' } } }).promise()
    assert.deepEqual(got.Item, { pk: { S: 'v1' }, sk: { N: '-2.5' }, v: { S: 'x' }, n: { N: '10' } })
    const updated = await dax.updateItem({
      TableName: 'items', Key: { pk: { S: 'v1' }, sk: { N: '-2.5' } },
      UpdateExpression: 'SET n = n - :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW',
    }).promise()
    assert.deepEqual(updated.Attributes, { n: { N: '9' } })
    await dax.deleteItem({ TableName: 'items', Key: { pk: { S: 'v1' }, sk: { N: '-2.5' } } }).promise()
    const gone = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'v1' }, sk: { N: '-2.5' } } }).promise()
    assert.equal(gone.Item, undefined)
  })

  // Legacy parameters never reach the server as such: the client rewrites them as expressions.
  test('legacy AttributesToGet, KeyConditions and Expected', async () => {
    await dax.putItem({ TableName: 'items', Item: { pk: { S: 'legacy' }, sk: { N: '1' }, a: { S: 'A' }, b: { S: 'B' } } }).promise()
    const got = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'legacy' }, sk: { N: '1' } }, AttributesToGet: ['a'] }).promise()
    assert.deepEqual(got.Item, { a: { S: 'A' } })
    const queried = await dax.query({ TableName: 'items', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'legacy' }] } } }).promise()
    assert.equal(queried.Count, 1)
    const code = await errorCode(dax.putItem({ TableName: 'items', Item: { pk: { S: 'legacy' }, sk: { N: '1' } }, Expected: { a: { Exists: false } } }).promise())
    assert.equal(code, 'ConditionalCheckFailedException')
  })

  test('Scan, BatchWriteItem, BatchGetItem, transactions', async () => {
    await dax.batchWriteItem({ RequestItems: { simple: [{ PutRequest: { Item: { id: { S: 'v1-a' }, n: { N: '1' } } } }, { PutRequest: { Item: { id: { S: 'v1-b' } } } }] } }).promise()
    const batch = await dax.batchGetItem({ RequestItems: { simple: { Keys: [{ id: { S: 'v1-a' } }, { id: { S: 'v1-b' } }] } } }).promise()
    assert.equal(batch.Responses.simple.length, 2)
    const scanned = await dax.scan({ TableName: 'simple', FilterExpression: 'begins_with(id, :p)', ExpressionAttributeValues: { ':p': { S: 'v1-' } } }).promise()
    assert.equal(scanned.Count, 2)
    await dax.transactWriteItems({ TransactItems: [{ Delete: { TableName: 'simple', Key: { id: { S: 'v1-b' } } } }] }).promise()
    const read = await dax.transactGetItems({ TransactItems: [{ Get: { TableName: 'simple', Key: { id: { S: 'v1-a' } } } }, { Get: { TableName: 'simple', Key: { id: { S: 'v1-b' } } } }] }).promise()
    assert.deepEqual(read.Responses, [{ Item: { id: { S: 'v1-a' }, n: { N: '1' } } }, {}])
  })

  test('a missing table gives ResourceNotFoundException', async () => {
    assert.equal(await errorCode(dax.getItem({ TableName: 'no-such-table', Key: { id: { S: 'x' } } }).promise()), 'ResourceNotFoundException')
  })
})

describe('AWS SDK v2 DocumentClient over amazon-dax-client', () => {
  test('put, get, update, query and delete with native JS values', async () => {
    await documents.put({ TableName: 'items', Item: { pk: 'doc', sk: 1, name: 'first', tags: documents.createSet(['a', 'b']), nested: { list: [1, 'two', true, null] } } }).promise()
    await documents.put({ TableName: 'items', Item: { pk: 'doc', sk: 2.5, name: 'second' } }).promise()
    const got = await documents.get({ TableName: 'items', Key: { pk: 'doc', sk: 1 } }).promise()
    assert.equal(got.Item.name, 'first')
    assert.deepEqual(got.Item.nested, { list: [1, 'two', true, null] })
    assert.deepEqual([...got.Item.tags.values].sort(), ['a', 'b'])
    const updated = await documents.update({
      TableName: 'items', Key: { pk: 'doc', sk: 2.5 }, UpdateExpression: 'SET #n = :n',
      ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': 'renamed' }, ReturnValues: 'ALL_NEW',
    }).promise()
    assert.deepEqual(updated.Attributes, { pk: 'doc', sk: 2.5, name: 'renamed' })
    const queried = await documents.query({ TableName: 'items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'doc' }, Limit: 1 }).promise()
    assert.deepEqual(queried.Items.map((item: any) => item.sk), [1])
    assert.deepEqual(queried.LastEvaluatedKey, { pk: 'doc', sk: 1 })
    const next = await documents.query({ TableName: 'items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'doc' }, ExclusiveStartKey: queried.LastEvaluatedKey }).promise()
    assert.deepEqual(next.Items.map((item: any) => item.name), ['renamed'])
    await documents.delete({ TableName: 'items', Key: { pk: 'doc', sk: 1 } }).promise()
    const gone = await documents.get({ TableName: 'items', Key: { pk: 'doc', sk: 1 } }).promise()
    assert.equal(gone.Item, undefined)
  })

  test('a failed condition through the DocumentClient', async () => {
    const code = await errorCode(documents.put({ TableName: 'items', Item: { pk: 'doc', sk: 2.5 }, ConditionExpression: 'attribute_not_exists(pk)' }).promise())
    assert.equal(code, 'ConditionalCheckFailedException')
  })
})
