/**
 * Objects made once per request keep one hidden class (V8 map) however many requests run. On
 * Node 20, members written after a spread (`{ ...region, requestId }`) or added to an object
 * after it is made gave every such object a map of its own once the code was optimized: about
 * 2 µs per object, and every later read of it, down the request path, went megamorphic
 * (GetItem 10-16% and TransactWriteItems 30-50% more requests per second without them,
 * bench/results/2026-12-05.md). Each check makes enough objects for V8 to optimize the code
 * that makes them, then compares the maps of the first and the last.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { requestContextIn, type RegionContext } from './context.js'
import { createAuthenticator } from '../http/auth.js'
import { queryRange } from '../values/key.js'

setFlagsFromString('--allow-natives-syntax')
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean

/** Enough calls for V8 to optimize the maker (it does so after a few thousand). */
const calls = 50_000

function assertOneMap<T extends object>(make: (index: number) => T): void {
  const first = make(0)
  let last = first
  for (let index = 1; index < calls; index++) last = make(index)
  assert.ok(haveSameMap(first, last), 'the first and the last object have different hidden classes')
  assert.ok(haveSameMap(make(calls), make(calls + 1)), 'two objects made one after the other have different hidden classes')
}

test('a request context keeps one hidden class', () => {
  const region = { region: 'us-east-1', accountId: '000000000000', storage: {}, catalog: {}, clock: {}, log: {}, config: {}, commits: {} } as unknown as RegionContext
  assertOneMap((index) => requestContextIn(region, `request-${index}`))
})

test('an authenticated caller keeps one hidden class', () => {
  const authenticator = createAuthenticator({ defaultRegion: 'us-east-1', accountId: '000000000000', now: Date.now })
  const headers = {
    authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
    'x-amz-date': '20260101T000000Z',
  }
  assertOneMap(() => authenticator.authenticate({ method: 'POST', url: '/', headers, body: Buffer.alloc(0) }, 'dynamodb'))
})

test('a query range keeps one hidden class, whatever its condition and direction', () => {
  const partition = [{ S: 'p' }]
  const conditions = [[], [{ op: 'EQ', value: { N: '1' } }], [{ op: 'BEGINS_WITH', value: { S: 'a' } }], [{ op: 'GT', value: { N: '1' } }]] as const
  assertOneMap((index) => queryRange(partition, conditions[index % conditions.length]!, index % 2 === 1))
})
