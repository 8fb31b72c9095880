/**
 * The official SDK v3 DAX client (@amazon-dax-sdk/client-dax), unmodified, against EddyDB's
 * DAX wire server: every data operation it sends, its paging, its errors. The client talks
 * CBOR over TCP, discovers the node through `endpoints`, learns key schemas and attribute
 * lists, and sends expressions pre-parsed; each test checks what the application sees.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startWireFixture, type WireFixture } from './wire-fixture.js'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

let fixture: WireFixture
let dax: any

before(async () => {
  fixture = await startWireFixture()
  dax = new Dax({ endpoints: [fixture.seed], region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } })
})

after(async () => {
  dax.shutdown()
  await fixture.close()
})

/** An error's DynamoDB name as the client reports it (`code`, e.g. 'ConditionalCheckFailedException'). */
async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
  throw new Error('expected the call to fail')
}

describe('single items', () => {
  // Every attribute type survives the trip: the stream-item form, sets under DAX tags, and
  // numbers in all the CBOR forms the client picks (int, float, decimal, bignum).
  test('PutItem then GetItem round-trips every attribute type', async () => {
    const item = {
      pk: { S: 'types' }, sk: { N: '1' },
      text: { S: 'héllo ✓' }, int: { N: '42' }, negative: { N: '-7' }, decimal: { N: '3.14159' },
      long: { N: '123456789012345678901234567890' }, tiny: { N: '0.000000000001' },
      binary: { B: Buffer.from([0, 1, 2, 255]) }, flag: { BOOL: true }, nothing: { NULL: true },
      strings: { SS: ['a', 'b'] }, numbers: { NS: ['1', '2.5', '-3'] }, binaries: { BS: [Buffer.from([1]), Buffer.from([2])] },
      nested: { M: { list: { L: [{ S: 'x' }, { N: '1' }, { M: { deep: { BOOL: false } } }] } } },
    }
    await dax.putItem({ TableName: 'items', Item: item })
    const { Item } = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'types' }, sk: { N: '1' } } })
    assert.equal(Item.text.S, 'héllo ✓')
    assert.equal(Item.int.N, '42')
    assert.equal(Item.negative.N, '-7')
    assert.equal(Item.decimal.N, '3.14159')
    assert.equal(Item.long.N, '123456789012345678901234567890')
    assert.equal(Number(Item.tiny.N), 1e-12)
    assert.deepEqual([...Item.binary.B], [0, 1, 2, 255])
    assert.deepEqual(Item.flag, { BOOL: true })
    assert.deepEqual(Item.nothing, { NULL: true })
    assert.deepEqual([...Item.strings.SS].sort(), ['a', 'b'])
    assert.deepEqual([...Item.numbers.NS].sort(), ['-3', '1', '2.5'])
    assert.equal(Item.binaries.BS.length, 2)
    assert.deepEqual(Item.nested.M.list.L[2], { M: { deep: { BOOL: false } } })
    assert.deepEqual(Item.pk, { S: 'types' })
  })

  // An absent item has no Item member at all (sending null would make the client return the key).
  test('GetItem of a missing item has no Item', async () => {
    const output = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'missing' }, sk: { N: '1' } } })
    assert.equal(output.Item, undefined)
  })

  // Projections come back as {ordinal → value} maps that the client rebuilds, list index included.
  test('GetItem with a projection of nested paths, list indexes and #names', async () => {
    await dax.putItem({ TableName: 'items', Item: { pk: { S: 'proj' }, sk: { N: '2' }, a: { M: { b: { S: 'B' }, c: { S: 'C' } } }, list: { L: [{ S: 'zero' }, { S: 'one' }] }, name: { S: 'reserved word' } } })
    const { Item } = await dax.getItem({
      TableName: 'items', Key: { pk: { S: 'proj' }, sk: { N: '2' } },
      ProjectionExpression: 'a.b, list[1], #n', ExpressionAttributeNames: { '#n': 'name' },
    })
    assert.deepEqual(Item, { a: { M: { b: { S: 'B' } } }, list: { L: [{ S: 'one' }] }, name: { S: 'reserved word' } })
  })

  // The node forwards only a projection's top-level attributes, so it checks the paths itself:
  // overlapping or conflicting ones are refused as DynamoDB refuses them, cached or not.
  test('a projection whose paths overlap or conflict gives DynamoDB\'s ValidationException', async () => {
    // The client words the message `<code>: <DynamoDB's message>`.
    const refusal = async (request: object) => {
      try {
        await request
      } catch (error) {
        const { code, message } = error as { code: string; message: string }
        assert.equal(code, 'ValidationException')
        return message
      }
      throw new Error('expected ValidationException')
    }
    const key = { pk: { S: 'proj' }, sk: { N: '2' } }
    const overlap = 'ValidationException: Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'
    assert.equal(await refusal(dax.getItem({ TableName: 'items', Key: key, ProjectionExpression: 'a, a.b' })), overlap)
    assert.equal(await refusal(dax.getItem({ TableName: 'items', Key: key, ProjectionExpression: 'a, a.b', ConsistentRead: true })), overlap)
    assert.equal(await refusal(dax.query({
      TableName: 'items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'proj' } }, ProjectionExpression: 'list[1], list.x',
    })), 'ValidationException: Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [list, [1]], path two: [list, x]')
    assert.equal(await refusal(dax.transactGetItems({ TransactItems: [{ Get: { TableName: 'items', Key: key, ProjectionExpression: 'a, a.b' } }] })), overlap)
  })

  test('GetItem with ConsistentRead and ReturnConsumedCapacity', async () => {
    const output = await dax.getItem({ TableName: 'items', Key: { pk: { S: 'types' }, sk: { N: '1' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })
    assert.equal(output.ConsumedCapacity.TableName, 'items')
    assert.equal(typeof output.ConsumedCapacity.CapacityUnits, 'number')
  })

  test('a hash-only table with a numeric key', async () => {
    await dax.putItem({ TableName: 'counters', Item: { id: { N: '9007199254740993' }, hits: { N: '1' } } })
    const { Attributes } = await dax.updateItem({
      TableName: 'counters', Key: { id: { N: '9007199254740993' } },
      UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW',
    })
    assert.deepEqual(Attributes, { id: { N: '9007199254740993' }, hits: { N: '2' } })
  })

  test('PutItem with a failed condition gives ConditionalCheckFailedException', async () => {
    await dax.putItem({ TableName: 'simple', Item: { id: { S: 'cond' } } })
    const code = await errorCode(dax.putItem({ TableName: 'simple', Item: { id: { S: 'cond' } }, ConditionExpression: 'attribute_not_exists(id)' }))
    assert.equal(code, 'ConditionalCheckFailedException')
  })

  test('PutItem ReturnValues ALL_OLD and DeleteItem ALL_OLD', async () => {
    await dax.putItem({ TableName: 'simple', Item: { id: { S: 'old' }, v: { N: '1' } } })
    const put = await dax.putItem({ TableName: 'simple', Item: { id: { S: 'old' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' })
    assert.deepEqual(put.Attributes, { id: { S: 'old' }, v: { N: '1' } })
    const deleted = await dax.deleteItem({ TableName: 'simple', Key: { id: { S: 'old' } }, ReturnValues: 'ALL_OLD' })
    assert.deepEqual(deleted.Attributes, { id: { S: 'old' }, v: { N: '2' } })
    const gone = await dax.getItem({ TableName: 'simple', Key: { id: { S: 'old' } } })
    assert.equal(gone.Item, undefined)
  })

  // SET, ADD, REMOVE, if_not_exists, list_append and arithmetic all travel as S-expressions.
  test('UpdateItem with every action and ALL_NEW / UPDATED_NEW / UPDATED_OLD', async () => {
    await dax.putItem({ TableName: 'simple', Item: { id: { S: 'upd' }, count: { N: '1' }, gone: { S: 'x' }, list: { L: [{ N: '1' }] } } })
    const allNew = await dax.updateItem({
      TableName: 'simple', Key: { id: { S: 'upd' } },
      UpdateExpression: 'SET #c = #c + :two, created = if_not_exists(created, :now), list = list_append(list, :more) REMOVE gone ADD tags :tags',
      ConditionExpression: 'attribute_exists(id) AND (#c < :ten OR NOT contains(gone, :z))',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':two': { N: '2' }, ':now': { S: 'today' }, ':more': { L: [{ N: '2' }] }, ':tags': { SS: ['t'] }, ':ten': { N: '10' }, ':z': { S: 'z' } },
      ReturnValues: 'ALL_NEW',
    })
    assert.deepEqual(allNew.Attributes, { id: { S: 'upd' }, count: { N: '3' }, created: { S: 'today' }, list: { L: [{ N: '1' }, { N: '2' }] }, tags: { SS: ['t'] } })
    const updatedNew = await dax.updateItem({
      TableName: 'simple', Key: { id: { S: 'upd' } }, UpdateExpression: 'SET #c = :five', ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':five': { N: '5' } }, ReturnValues: 'UPDATED_NEW',
    })
    assert.deepEqual(updatedNew.Attributes, { count: { N: '5' } })
    const updatedOld = await dax.updateItem({
      TableName: 'simple', Key: { id: { S: 'upd' } }, UpdateExpression: 'SET created = :later',
      ExpressionAttributeValues: { ':later': { S: 'tomorrow' } }, ReturnValues: 'UPDATED_OLD',
    })
    assert.deepEqual(updatedOld.Attributes, { created: { S: 'today' } })
  })

  // The server's own validation reaches the client as a ValidationException with DynamoDB's text.
  test('UpdateItem on a key attribute gives ValidationException', async () => {
    try {
      await dax.updateItem({ TableName: 'simple', Key: { id: { S: 'upd' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'new' } } })
      assert.fail('expected ValidationException')
    } catch (error) {
      const { code, message } = error as { code: string; message: string }
      assert.equal(code, 'ValidationException')
      assert.match(message, /Cannot update attribute id\. This attribute is part of the key/)
    }
  })

  test('a missing table gives ResourceNotFoundException', async () => {
    assert.equal(await errorCode(dax.getItem({ TableName: 'no-such-table', Key: { id: { S: 'x' } } })), 'ResourceNotFoundException')
  })
})

describe('query and scan', () => {
  before(async () => {
    // Sort keys that need LexDecimal's long forms and sign handling, written through BatchWriteItem.
    const sortKeys = ['-1000.5', '-3', '-0.5', '0', '0.001', '1.5', '100', '12345678901234567890']
    await dax.batchWriteItem({
      RequestItems: {
        items: sortKeys.map((sk, index) => ({
          PutRequest: { Item: { pk: { S: 'q' }, sk: { N: sk }, color: { S: index % 2 ? 'red' : 'blue' }, rank: { N: String(index) } } },
        })),
      },
    })
  })

  test('Query returns items in sort-key order, numbers intact', async () => {
    const { Items, Count } = await dax.query({ TableName: 'items', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } } })
    assert.equal(Count, 8)
    assert.deepEqual(Items.map((item: any) => item.sk.N), ['-1000.5', '-3', '-0.5', '0', '0.001', '1.5', '100', '12345678901234567890'])
    assert.equal(Items[0].color.S, 'blue')
  })

  // LastEvaluatedKey travels as key bytes (LexDecimal range key) and comes back as ExclusiveStartKey.
  test('Query pages with Limit and LastEvaluatedKey', async () => {
    const seen: string[] = []
    let startKey: unknown
    for (let page = 0; page < 10; page++) {
      const output: any = await dax.query({
        TableName: 'items', KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':p': { S: 'q' }, ':lo': { N: '-5' }, ':hi': { N: '1000' } },
        Limit: 2, ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      })
      seen.push(...output.Items.map((item: any) => item.sk.N))
      startKey = output.LastEvaluatedKey
      if (!startKey) break
    }
    assert.deepEqual(seen, ['-3', '-0.5', '0', '0.001', '1.5', '100'])
  })

  test('Query descending with a filter and a projection', async () => {
    const { Items } = await dax.query({
      TableName: 'items', KeyConditionExpression: 'pk = :p', FilterExpression: 'color = :red',
      ProjectionExpression: 'sk, #r', ExpressionAttributeNames: { '#r': 'rank' },
      ExpressionAttributeValues: { ':p': { S: 'q' }, ':red': { S: 'red' } }, ScanIndexForward: false,
    })
    assert.deepEqual(Items, [
      { sk: { N: '12345678901234567890' }, rank: { N: '7' } }, { sk: { N: '1.5' }, rank: { N: '5' } },
      { sk: { N: '0' }, rank: { N: '3' } }, { sk: { N: '-3' }, rank: { N: '1' } },
    ])
  })

  test('Query with Select COUNT', async () => {
    const output = await dax.query({ TableName: 'items', KeyConditionExpression: 'pk = :p AND sk > :zero', ExpressionAttributeValues: { ':p': { S: 'q' }, ':zero': { N: '0' } }, Select: 'COUNT' })
    assert.equal(output.Count, 4)
    assert.equal(output.Items, undefined)
  })

  // On an index the LastEvaluatedKey is a {name → value} map holding table and index keys.
  test('Query on a global secondary index pages with its compound LastEvaluatedKey', async () => {
    const seen: string[] = []
    let startKey: any
    for (let page = 0; page < 10; page++) {
      const output: any = await dax.query({
        TableName: 'items', IndexName: 'byColor', KeyConditionExpression: 'color = :c',
        ExpressionAttributeValues: { ':c': { S: 'blue' } }, Limit: 3, ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      })
      seen.push(...output.Items.map((item: any) => item.sk.N))
      startKey = output.LastEvaluatedKey
      if (startKey) assert.deepEqual(Object.keys(startKey).sort(), ['color', 'pk', 'sk'])
      if (!startKey) break
    }
    assert.deepEqual(seen, ['-1000.5', '-0.5', '0.001', '100'])
  })

  // A GSI with multi-attribute keys: DAX passes the key condition through, and the compound
  // LastEvaluatedKey map carries every index key attribute.
  test('Query on a GSI with multi-attribute keys pages in composite order', async () => {
    const games: Array<[string, string, string]> = [['g1', '3', 'b'], ['g2', '1', 'z'], ['g3', '3', 'a'], ['g4', '20', 'a'], ['g5', '3', 'c']]
    for (const [id, day, slot] of games) {
      await dax.putItem({ TableName: 'games', Item: { id: { S: id }, city: { S: 'oslo' }, venue: { S: 'arena' }, day: { N: day }, slot: { S: slot } } })
    }
    const seen: string[] = []
    let startKey: any
    for (let page = 0; page < 10; page++) {
      const output: any = await dax.query({
        TableName: 'games', IndexName: 'byPlace', KeyConditionExpression: 'city = :c AND venue = :v AND #day >= :d',
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: { ':c': { S: 'oslo' }, ':v': { S: 'arena' }, ':d': { N: '2' } }, Limit: 2, ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      })
      seen.push(...output.Items.map((item: any) => item.id.S))
      startKey = output.LastEvaluatedKey
      if (startKey) assert.deepEqual(Object.keys(startKey).sort(), ['city', 'day', 'id', 'slot', 'venue'])
      if (!startKey) break
    }
    assert.deepEqual(seen, ['g3', 'g1', 'g5', 'g4'])
  })

  test('Scan pages through a table and through an index', async () => {
    for (const IndexName of [undefined, 'byColor']) {
      let count = 0
      let startKey: unknown
      for (let page = 0; page < 20; page++) {
        const output: any = await dax.scan({
          TableName: 'items', Limit: 3, FilterExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } },
          ...(IndexName ? { IndexName } : {}), ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        })
        count += output.Count
        startKey = output.LastEvaluatedKey
        if (!startKey) break
      }
      assert.equal(count, 8, `scan of ${IndexName ?? 'the table'}`)
    }
  })
})

describe('batches and transactions', () => {
  test('BatchWriteItem puts and deletes; BatchGetItem reads two tables with a miss and a projection', async () => {
    await dax.batchWriteItem({
      RequestItems: {
        simple: [{ PutRequest: { Item: { id: { S: 'b1' }, v: { S: 'one' } } } }, { PutRequest: { Item: { id: { S: 'b2' }, v: { S: 'two' } } } }],
        items: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '-1.25' }, v: { S: 'neg' }, w: { S: 'hidden' } } } }],
      },
    })
    await dax.batchWriteItem({ RequestItems: { simple: [{ DeleteRequest: { Key: { id: { S: 'b2' } } } }] } })
    const output = await dax.batchGetItem({
      RequestItems: {
        simple: { Keys: [{ id: { S: 'b1' } }, { id: { S: 'b2' } }] },
        items: { Keys: [{ pk: { S: 'b' }, sk: { N: '-1.25' } }], ProjectionExpression: 'v' },
      },
    })
    assert.deepEqual(output.Responses.simple, [{ id: { S: 'b1' }, v: { S: 'one' } }])
    assert.deepEqual(output.Responses.items, [{ v: { S: 'neg' } }])
    assert.deepEqual(output.UnprocessedKeys, {})
  })

  test('TransactWriteItems commits; TransactGetItems reads, with a missing item and a projection', async () => {
    await dax.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'simple', Item: { id: { S: 't1' }, v: { N: '1' }, extra: { S: 'e' } } } },
        { Update: { TableName: 'simple', Key: { id: { S: 't2' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
        { ConditionCheck: { TableName: 'items', Key: { pk: { S: 'q' }, sk: { N: '0' } }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
    })
    const output = await dax.transactGetItems({
      TransactItems: [
        { Get: { TableName: 'simple', Key: { id: { S: 't1' } } } },
        { Get: { TableName: 'simple', Key: { id: { S: 't2' } }, ProjectionExpression: 'v' } },
        { Get: { TableName: 'simple', Key: { id: { S: 'absent' } } } },
      ],
    })
    assert.deepEqual(output.Responses, [
      { Item: { id: { S: 't1' }, v: { N: '1' }, extra: { S: 'e' } } }, { Item: { v: { N: '2' } } }, {},
    ])
  })

  // Cancellation reasons reach the client per item, with the ALL_OLD item of the failed check.
  test('a cancelled TransactWriteItems reports its CancellationReasons', async () => {
    await dax.putItem({ TableName: 'simple', Item: { id: { S: 'locked' }, state: { S: 'held' } } })
    try {
      await dax.transactWriteItems({
        TransactItems: [
          { Put: { TableName: 'simple', Item: { id: { S: 'free' } } } },
          { Put: { TableName: 'simple', Item: { id: { S: 'locked' } }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ],
      })
      assert.fail('expected TransactionCanceledException')
    } catch (error) {
      const { code, cancellationReasons } = error as { code: string; cancellationReasons: any[] }
      assert.equal(code, 'TransactionCanceledException')
      assert.equal(cancellationReasons[0].Code, 'None')
      assert.equal(cancellationReasons[1].Code, 'ConditionalCheckFailed')
      assert.deepEqual(cancellationReasons[1].Item, { id: { S: 'locked' }, state: { S: 'held' } })
    }
    const untouched = await dax.getItem({ TableName: 'simple', Key: { id: { S: 'free' } } })
    assert.equal(untouched.Item, undefined)
  })
})
