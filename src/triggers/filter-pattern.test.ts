/** Lambda event filtering: the operators Lambda lists for stream sources, on DynamoDB-shaped records. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { matchesAnyPattern, matchesPattern, parsePattern } from './filter-pattern.js'

const record = {
  eventName: 'INSERT',
  awsRegion: 'us-east-1',
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
  dynamodb: { ApproximateCreationDateTime: 1700000000, NewImage: { pk: { S: 'user#1' }, age: { N: '42' }, tags: { SS: ['a', 'b'] }, empty: { S: '' } } },
}

function matches(pattern: object): boolean {
  const parsed = parsePattern(JSON.stringify(pattern))
  assert.ok(parsed, `valid pattern ${JSON.stringify(pattern)}`)
  return matchesPattern(parsed, record)
}

test('exact values, OR within a list, AND across keys', () => {
  assert.equal(matches({ eventName: ['INSERT'] }), true)
  assert.equal(matches({ eventName: ['MODIFY', 'INSERT'] }), true)
  assert.equal(matches({ eventName: ['INSERT'], awsRegion: ['eu-west-1'] }), false)
  assert.equal(matches({ dynamodb: { NewImage: { pk: { S: ['user#1'] } } } }), true)
  assert.equal(matches({ dynamodb: { NewImage: { empty: { S: [''] } } } }), true)
})

test('DynamoDB values keep their type wrapper; N values are strings, so numeric does not match them', () => {
  assert.equal(matches({ dynamodb: { NewImage: { pk: ['user#1'] } } }), false)
  assert.equal(matches({ dynamodb: { NewImage: { age: { N: ['42'] } } } }), true)
  assert.equal(matches({ dynamodb: { NewImage: { age: { N: [{ numeric: ['>', 10] }] } } } }), false)
  assert.equal(matches({ dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 1600000000, '<=', 1700000000] }] } }), true)
})

test('prefix, suffix, anything-but, exists, equals-ignore-case and list values', () => {
  assert.equal(matches({ dynamodb: { NewImage: { pk: { S: [{ prefix: 'user#' }] } } } }), true)
  assert.equal(matches({ dynamodb: { NewImage: { pk: { S: [{ suffix: '#2' }] } } } }), false)
  assert.equal(matches({ eventName: [{ 'anything-but': ['REMOVE', 'MODIFY'] }] }), true)
  assert.equal(matches({ eventName: [{ 'anything-but': { prefix: 'INS' } }] }), false)
  assert.equal(matches({ dynamodb: { OldImage: [{ exists: false }] } }), true)
  assert.equal(matches({ dynamodb: { NewImage: { pk: { S: [{ exists: true }] } } } }), true)
  assert.equal(matches({ eventName: [{ 'equals-ignore-case': 'insert' }] }), true)
  assert.equal(matches({ dynamodb: { NewImage: { tags: { SS: ['b'] } } } }), true)
  // The canonical TTL-archive filter.
  assert.equal(matches({ userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }), true)
})

test('invalid patterns are rejected', () => {
  for (const text of ['not json', '[]', '{"eventName":"INSERT"}', '{"eventName":[]}', '{"a":[{"numeric":[">"]}]}', '{"a":[{"bogus":1}]}']) {
    assert.equal(parsePattern(text), undefined, text)
  }
})

test('no filters match everything; several filters are OR-ed', () => {
  assert.equal(matchesAnyPattern([], record), true)
  assert.equal(matchesAnyPattern([parsePattern('{"eventName":["REMOVE"]}')!, parsePattern('{"eventName":["INSERT"]}')!], record), true)
})
