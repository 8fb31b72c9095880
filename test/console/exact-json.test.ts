/**
 * The console's exact JSON (src/console/ui/exact-json.js), which its plain JSON view uses so that
 * a number keeps every digit (DynamoDB holds 38; JSON.parse rounds to a double). Apart from
 * numbers it must read and write JSON exactly as JSON.parse and JSON.stringify do, refusing what
 * they refuse.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importConsoleModule } from './browser.js'

interface ExactJson {
  JsonNumber: new (text: string) => { text: string }
  parseJson(text: string): unknown
  stringifyJson(value: unknown, space?: number): string
  isJsonNumber(text: string): boolean
}

const { JsonNumber, parseJson, stringifyJson, isJsonNumber } = await importConsoleModule<ExactJson>('exact-json.js')

/** The value with each JsonNumber read as JSON.parse reads a number. */
const asDoubles = (value: unknown): unknown => value instanceof JsonNumber ? Number(value.text)
  : Array.isArray(value) ? value.map(asDoubles)
    : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([name, each]) => [name, asDoubles(each)]))
      : value

const valid = [
  '{"id":"x","n":1,"list":[true,false,null,-0.5e-7,1E+2,{}],"nested":{"a":[[]]}}',
  ' [ "a\\n\\t\\"\\\\\\/\\u00e9\\ud83c\\udf89" , 0 ] ',
  '"just a string"', '12', 'null', '{"__proto__":{"constructor":1}}',
]
const invalid = ['', '{', '[1,]', '{"a":1,}', '01', '1.', '.5', '+1', '"\\x"', '"a\nb"', 'tru', '{"a" 1}', '[1] 2', "{'a':1}", 'NaN']

test('reads what JSON.parse reads, numbers as their text', () => {
  for (const text of valid) assert.deepEqual(asDoubles(parseJson(text)), JSON.parse(text), text)
  const big = parseJson('{"amount": 12345678901234567890.12, "key": 12345678901234567890123456789012345678}') as Record<string, { text: string }>
  assert.equal(big.amount.text, '12345678901234567890.12')
  assert.equal(big.key.text, '12345678901234567890123456789012345678')
})

test('refuses what JSON.parse refuses', () => {
  for (const text of invalid) {
    assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${text}`)
    assert.throws(() => parseJson(text), SyntaxError, text)
  }
})

test('a "__proto__" key is a key, not the prototype', () => {
  const value = parseJson('{"__proto__":{"x":1}}') as object
  assert.deepEqual(Object.keys(value), ['__proto__'])
  assert.equal(Object.getPrototypeOf(value), Object.prototype)
})

test('writes as JSON.stringify writes, numbers as their text', () => {
  // JSON.stringify writes its own form of a number (-5e-8 for -0.5e-7): compare where the forms agree.
  for (const text of valid.filter((each) => !/e-7|E\+2/.test(each))) {
    for (const space of [0, 2]) assert.equal(stringifyJson(parseJson(text), space), JSON.stringify(JSON.parse(text), null, space), text)
  }
  assert.equal(stringifyJson(parseJson('[-0.5e-7, 1E+2]')), '[-0.5e-7,1E+2]')
  assert.equal(stringifyJson({ n: new JsonNumber('0.1000000000000000000001') }), '{"n":0.1000000000000000000001}')
})

test('isJsonNumber says whether a DynamoDB number can be written into JSON as it is', () => {
  for (const text of ['0', '-1.5', '1E+2', '12345678901234567890.12']) assert.equal(isJsonNumber(text), true, text)
  for (const text of ['.5', '+1', '5.', '1e', ' 1', 'NaN']) assert.equal(isJsonNumber(text), false, text)
})
