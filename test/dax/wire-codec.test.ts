/**
 * The wire codecs on their own: CBOR framing, LexDecimal (against the spec's vectors and the
 * official client's own encoder), numbers, and the translation of the client's pre-parsed
 * expressions back into DynamoDB expression text.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { CborFloat, CborReader, CborTag, CborWriter, skipItem } from '../../src/dax/wire/cbor.js'
import { decodeLexDecimal, encodeLexDecimal } from '../../src/dax/wire/lex-decimal.js'
import { attributeValueFromCbor, numberTextFromCbor, writeNumber } from '../../src/dax/wire/attribute-values.js'
import { ExpressionPlaceholders, expressionText, projectionPaths } from '../../src/dax/wire/expressions.js'
import { decodeKey, encodeKey } from '../../src/dax/wire/keys.js'
import { formatDecimal, decompose } from '../../src/values/number.js'
import type { Item } from '../../src/values/types.js'

const require = createRequire(import.meta.url)
const clientSource = '@amazon-dax-sdk/client-dax/src/'
const ClientLexDecimal = require(clientSource + 'LexDecimal.js')
const ClientBigDecimal = require(clientSource + 'BigDecimal.js')
const ClientExpressions = require(clientSource + 'CborSExprGenerator.js').CborSExprGenerator
const ClientAttributeValues = require(clientSource + 'AttributeValueEncoder.js')

const canonical = (text: string) => formatDecimal(decompose(text))

describe('LexDecimal', () => {
  // Vectors checked against the real client's encoder (spec Part B9).
  const vectors: [string, string][] = [
    ['1.5', 'c1288010'], ['100', 'c31c0020'], ['-3', '3eb1fff0'], ['0.001', 'be1c0000'], ['-0.5', '3f7ffff0'],
    ['-1000.5', '3be3fc1ff8'], ['12345678901234567890', 'd421dd4c8418596b2e4001'], ['-1E-70', '7e80000044e3fff0'], ['0', '80'],
  ]
  for (const [value, hex] of vectors) {
    test(`encodes ${value} as ${hex} and decodes it back`, () => {
      assert.equal(encodeLexDecimal(value).toString('hex'), hex)
      assert.equal(canonical(decodeLexDecimal(Buffer.from(hex, 'hex')).text), canonical(value))
    })
  }

  test('matches the official encoder and decodes its non-canonical forms', () => {
    const values = ['1', '-1', '7', '10', '99.99', '-99.99', '0.5', '1E+70', '-4.2E-90', '123456789.123456789', '1.50', '1E+2']
    for (const value of values) {
      const clientBytes: Buffer = ClientLexDecimal.encode(new ClientBigDecimal(value))
      assert.equal(canonical(decodeLexDecimal(clientBytes).text), canonical(value), value)
      if (!/0$|E\+2$/.test(value)) assert.equal(encodeLexDecimal(value).toString('hex'), clientBytes.toString('hex'), value)
    }
  })

  test('preserves numeric order as byte order', () => {
    const values = ['-1E+100', '-1000.5', '-3', '-0.5', '-1E-70', '0', '1E-70', '0.001', '1.5', '100', '12345678901234567890', '1E+100']
    const encoded = values.map((value) => encodeLexDecimal(value))
    for (let index = 1; index < encoded.length; index++) assert.ok(Buffer.compare(encoded[index - 1]!, encoded[index]!) < 0, values[index])
  })
})

describe('CBOR', () => {
  test('every strict prefix of an item is incomplete, the whole item is complete', () => {
    const writer = new CborWriter()
    writer.mapHeader(2).int(1).arrayHeader(3).text('é').bytes(Buffer.from([1, 2])).float64(1.5).int(-2).tag(4).arrayHeader(2).int(-1).int(15)
    const bytes = writer.toBuffer()
    for (let length = 0; length < bytes.length; length++) assert.equal(skipItem(bytes.subarray(0, length), 0), undefined)
    assert.equal(skipItem(bytes, 0), bytes.length)
    const value = new CborReader(bytes).read() as Map<unknown, unknown>
    assert.deepEqual(value.get(1), ['é', Buffer.from([1, 2]), new CborFloat(1.5)])
    assert.deepEqual(value.get(-2), new CborTag(4, [-1, 15]))
  })

  test('reads indefinite-length maps, arrays and strings, and half floats', () => {
    const bytes = Buffer.from('bf 01 9f 01 02 ff 02 7f 61 61 61 62 ff ff f9 3e 00'.replace(/ /g, ''), 'hex')
    assert.equal(skipItem(bytes, 0), bytes.length - 3)
    const reader = new CborReader(bytes)
    assert.deepEqual(reader.read(), new Map<unknown, unknown>([[1, [1, 2]], [2, 'ab']]))
    assert.deepEqual(reader.read(), new CborFloat(1.5))
  })
})

describe('numbers', () => {
  test('accepts every form the client sends', () => {
    assert.equal(numberTextFromCbor(42), '42')
    assert.equal(numberTextFromCbor(new CborFloat(0.1)), '0.1')
    assert.equal(canonical(numberTextFromCbor(new CborTag(4, [-2, 150]))), '1.5')
    assert.equal(numberTextFromCbor(new CborTag(2, Buffer.from('0100000000000000000000', 'hex'))), (2n ** 80n).toString())
    assert.equal(numberTextFromCbor(new CborTag(3, Buffer.from([0]))), '-1')
  })

  test('sends ints in the safe range and decimals otherwise, never floats', () => {
    const encode = (text: string) => { const writer = new CborWriter(); writeNumber(writer, text); return writer.toBuffer().toString('hex') }
    assert.equal(encode('7'), '07')
    assert.equal(encode('-1'), '20')
    assert.equal(encode('1.5'), 'c482200f')
    assert.equal(encode('100000000000000000000'), 'c48200c249056bc75e2d63100000')
  })

  test('attribute values from the official encoder', () => {
    const cases = [{ S: 'x' }, { N: '2.5' }, { N: '-12345678901234567890.5' }, { SS: ['a'] }, { NS: ['1', '0.5'] }, { M: { a: { L: [{ NULL: true }, { BOOL: false }] } } }]
    for (const value of cases) {
      const bytes: Buffer = ClientAttributeValues.encodeAttributeValue(value)
      const decoded = attributeValueFromCbor(new CborReader(bytes).read()) as Record<string, unknown>
      const normalize = (av: any): any => 'N' in av ? { N: canonical(av.N) } : 'NS' in av ? { NS: av.NS.map(canonical) } : av
      assert.deepEqual(normalize(decoded), normalize(value))
    }
  })
})

describe('keys', () => {
  test('hash + range and hash-only keys round-trip', () => {
    const schemas = [
      [{ name: 'pk', type: 'S' as const }, { name: 'sk', type: 'N' as const }],
      [{ name: 'pk', type: 'N' as const }, { name: 'sk', type: 'S' as const }],
      [{ name: 'id', type: 'N' as const }],
      [{ name: 'id', type: 'B' as const }],
    ]
    const items: Item[] = [{ pk: { S: 'p' }, sk: { N: '-0.25' } }, { pk: { N: '12' }, sk: { S: 'ü' } }, { id: { N: '3.5' } }, { id: { B: 'AAEC' } }]
    schemas.forEach((schema, index) => {
      const decoded = decodeKey(encodeKey(items[index]!, schema), schema) as Record<string, any>
      for (const [name, value] of Object.entries(items[index]!)) {
        const expected = 'N' in value ? { N: canonical(value.N) } : value
        assert.deepEqual('N' in decoded[name] ? { N: canonical(decoded[name].N) } : decoded[name], expected)
      }
    })
  })
})

describe('expressions', () => {
  // The client's own generator produces the bytes; we must give back equivalent DynamoDB text.
  function translate(kind: 'condition' | 'update', expression: string, names: object, values: object): [string, ExpressionPlaceholders] {
    const encoded = ClientExpressions.encodeExpressions(kind === 'condition' ? expression : null, null, null, kind === 'update' ? expression : null, null, names, values)
    const placeholders = new ExpressionPlaceholders()
    return [expressionText(Buffer.from(kind === 'condition' ? encoded.Condition : encoded.Update), kind, placeholders), placeholders]
  }

  test('conditions keep their grouping, functions and value list', () => {
    const [text, placeholders] = translate('condition',
      '#a.b[2] = :v AND (NOT attribute_exists(c) OR size(d) BETWEEN :lo AND :hi) AND e IN (:v, :w)',
      { '#a': 'a' }, { ':v': { S: 'x' }, ':lo': { N: '1' }, ':hi': { N: '5' }, ':w': { N: '7' } })
    // The client's AND is right-associative in its grammar but left-nested in its output; both read the same.
    assert.equal(text, '(#n0.#n1[2] = :c0 AND ((NOT attribute_exists(#n2)) OR size(#n3) BETWEEN :c1 AND :c2)) AND #n4 IN (:c3, :c4)')
    assert.deepEqual(placeholders.names, { '#n0': 'a', '#n1': 'b', '#n2': 'c', '#n3': 'd', '#n4': 'e' })
    assert.deepEqual(Object.values(placeholders.values), [{ S: 'x' }, { N: '1' }, { N: '5' }, { S: 'x' }, { N: '7' }])
  })

  test('updates are regrouped into SET, REMOVE, ADD and DELETE clauses', () => {
    const [text] = translate('update', 'SET a = if_not_exists(a, :z) + :one, l = list_append(l, :l) REMOVE r ADD n :one DELETE s :s',
      {}, { ':z': { N: '0' }, ':one': { N: '1' }, ':l': { L: [] }, ':s': { SS: ['x'] } })
    assert.equal(text, 'SET #n0 = if_not_exists(#n0, :u0) + :u1, #n1 = list_append(#n1, :u2) REMOVE #n2 ADD #n3 :u1 DELETE #n4 :u3')
  })

  test('projections keep the client\'s path order', () => {
    const encoded = ClientExpressions.encodeProjectionExpression('a.b, c[3], #d', { '#d': 'd' })
    assert.deepEqual(projectionPaths(Buffer.from(encoded)), [['a', 'b'], ['c', 3], ['d']])
  })
})
