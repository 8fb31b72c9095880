import assert from 'node:assert/strict'
import { test } from 'node:test'
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException } from '../errors.js'
import { callerFromHeaders } from './auth.js'

const signed = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'

test('the region and access key come from the credential scope', () => {
  assert.deepEqual(callerFromHeaders({ authorization: signed, 'x-amz-date': '20260101T000000Z' }, 'us-east-1'),
    { accessKeyId: 'AKID', region: 'eu-west-1' })
  const noSpaces = signed.replaceAll(', ', ',')
  assert.equal(callerFromHeaders({ authorization: noSpaces, date: 'x' }, 'us-east-1').region, 'eu-west-1')
})

test('a missing header and missing parameters get DynamoDB errors', () => {
  assert.throws(() => callerFromHeaders({}, 'us-east-1'), MissingAuthenticationTokenException)
  assert.throws(() => callerFromHeaders({ authorization: 'AWS4-HMAC-SHA256 Signature=a' }, 'us-east-1'), (error: Error) => {
    assert.ok(error instanceof IncompleteSignatureException)
    assert.equal(error.message, "Authorization header requires 'Credential' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. " +
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      'Authorization=AWS4-HMAC-SHA256 Signature=a')
    return true
  })
})

test('a credential scope naming no valid region is refused, not turned into a storage file', () => {
  const scoped = (region: string) => signed.replace('eu-west-1', region)
  for (const region of ['../etc', 'US_EAST_1', 'a'.repeat(64)]) {
    assert.throws(() => callerFromHeaders({ authorization: scoped(region), date: 'x' }, 'us-east-1'), InvalidSignatureException)
  }
})
