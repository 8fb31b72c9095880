/**
 * The import's line parser (src/imports/object-parser.ts) on its own, fed chunks as a stream
 * would cut them: lines split across chunks, CRLF, blank lines, a restart's skipped lines with a
 * CSV header among them, objects written back to back on one line, and the first bad line
 * ending the object. The parser thread and the
 * storage are exercised end to end by import.test.ts and kill9-transfer.test.ts.
 */
import { strict as assert } from 'node:assert'
import { describe, test } from 'node:test'
import { ObjectParser, type ObjectParserSettings, type ParsedLines } from '../../src/imports/object-parser.js'
import { pendingLineBytesMax } from '../../src/s3/object-lines.js'
import type { TableSchema } from '../../src/tables/schema.js'

const table: TableSchema = {
  name: 'parsed', tableId: 't1', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/parsed',
  key: { partitionKey: 'pk', sortKey: 'sk' }, attributeTypes: { pk: 'S', sk: 'N' }, indexes: [], vectorIndexes: [],
  streamEnabled: false, billingMode: 'PAY_PER_REQUEST', status: 'CREATING',
}

function parser(settings: Partial<ObjectParserSettings>): ObjectParser {
  return new ObjectParser({ format: 'DYNAMODB_JSON', csv: undefined, table, linesDone: 0, lineItemsDone: 0, ...settings })
}

/** Feeds `text` in chunks of `size` bytes, then the end; every chunk's answer in order. */
function fed(objectParser: ObjectParser, text: string, size: number): ParsedLines[] {
  const bytes = Buffer.from(text)
  const answers: ParsedLines[] = []
  for (let offset = 0; offset < bytes.length; offset += size) answers.push(objectParser.push(bytes.subarray(offset, offset + size)))
  answers.push(objectParser.end())
  return answers
}

const rowsOf = (answers: ParsedLines[]) => answers.flatMap((answer) => answer.rows.map(({ line, row }) => ({ line, item: JSON.parse(row.json) })))

describe('ObjectParser', () => {
  test('lines cut anywhere by chunks, CRLF and blank lines; the last line needs no line end', () => {
    const text = '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\r\n\n{"Item":{"pk":{"S":"é"},"sk":{"N":"2.50"}}}\n{"Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}'
    for (const size of [1, 2, 7, 64, 4096]) {
      const answers = fed(parser({}), text, size)
      assert.deepEqual(rowsOf(answers), [
        { line: 0, item: { pk: { S: 'a' }, sk: { N: '1' } } },
        { line: 2, item: { pk: { S: 'é' }, sk: { N: '2.5' } } },
        { line: 3, item: { pk: { S: 'c' }, sk: { N: '3' } } },
      ], `chunks of ${size} bytes`)
      assert.equal(answers.at(-1)!.linesSeen, 4)
      assert.ok(answers.every((answer) => answer.error === undefined))
    }
  })

  test('after a restart the stored lines are skipped, but a CSV header among them is still read', () => {
    const text = 'sk;pk;note\n1;a;x\n2;b;y\n3;c;z\n'
    const answers = fed(parser({ format: 'CSV', csv: { Delimiter: ';' }, linesDone: 2 }), text, 5)
    assert.deepEqual(rowsOf(answers), [
      { line: 2, item: { pk: { S: 'b' }, sk: { N: '2' }, note: { S: 'y' } } },
      { line: 3, item: { pk: { S: 'c' }, sk: { N: '3' }, note: { S: 'z' } } },
    ])
  })

  test('the first bad line comes back with its index; the rest of the object is ignored', () => {
    const text = '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n{"Item":{"pk":{"N":"1"},"sk":{"N":"2"}}}\n{"Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}\n'
    const answers = fed(parser({}), text, 50)
    const errors = answers.filter((answer) => answer.error !== undefined)
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.error!.line, 1)
    assert.match(errors[0]!.error!.message, /key|type/i)
    assert.deepEqual(rowsOf(answers).map(({ line }) => line), [0])
  })

  // DynamoDB reads {"Item":…}{"Item":…} on one line as two items (moto's AWS-verified
  // test_import_table_single_file_with_multiple_items); braces inside strings do not cut.
  const backToBack = '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n' +
    '{"Item":{"pk":{"S":"b}{"},"sk":{"N":"2"}}} {"Item":{"pk":{"S":"c\\"{"},"sk":{"N":"3"}}}{"Item":{"pk":{"S":"d"},"sk":{"N":"4"}}}\n'
  const itemsOf = (answers: ParsedLines[]) => answers.flatMap((answer) => answer.rows.map(({ line, item }) => [line, item]))

  test('objects back to back on one line are items of that line, in order', () => {
    for (const size of [3, 4096]) {
      const answers = fed(parser({}), backToBack, size)
      assert.deepEqual(itemsOf(answers), [[0, 0], [1, 0], [1, 1], [1, 2]])
      assert.deepEqual(rowsOf(answers).map(({ item }) => item.pk!.S), ['a', 'b}{', 'c"{', 'd'])
      assert.ok(answers.every((answer) => answer.error === undefined))
    }
  })

  test('after a restart in the middle of such a line, its stored items are skipped', () => {
    const answers = fed(parser({ linesDone: 1, lineItemsDone: 2 }), backToBack, 4096)
    assert.deepEqual(itemsOf(answers), [[1, 2]])
  })

  test('a bad object on a line keeps the items before it and ends the object', () => {
    const text = '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}{"Item":{"pk":{"S":"b"},"sk":{"N":"x"}}}{"Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}\n'
    const answers = fed(parser({}), text, 4096)
    assert.deepEqual(itemsOf(answers), [[0, 0]])
    const error = answers.find((answer) => answer.error !== undefined)!.error!
    assert.equal(error.line, 0)
    // Text that is neither one object nor objects back to back is still a JSON error.
    const broken = fed(parser({}), '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}} trailing\n', 4096)
    assert.match(broken.find((answer) => answer.error !== undefined)!.error!.message, /^Invalid JSON: /)
  })

  // A line without a line end was once scanned again for every chunk (quadratic: a 40 KB gzip
  // object held an import for a minute). Now a pending line past pendingLineBytesMax is the
  // object's bad line as soon as it passes the bound, without the rest of it being read.
  test('a line longer than pendingLineBytesMax fails as too large as soon as it passes the bound', () => {
    const objectParser = parser({})
    const chunkBytes = 64 * 1024
    const first = objectParser.push(Buffer.from('{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n{"Item":{"pk":{"S":"b"},"sk":{"N":"2"},"long":{"S":"'))
    assert.deepEqual([first.rows.length, first.error], [1, undefined])
    const filler = Buffer.alloc(chunkBytes, 'x')
    let pushed = 0
    let answer: ParsedLines
    do {
      answer = objectParser.push(filler)
      pushed += filler.length
    } while (answer.error === undefined && pushed <= 2 * pendingLineBytesMax)
    assert.deepEqual(answer.error, { line: 1, message: 'Item size has exceeded the maximum allowed size' })
    assert.equal(answer.linesSeen, 2)
    assert.ok(pushed > pendingLineBytesMax - chunkBytes && pushed <= pendingLineBytesMax + chunkBytes)
    assert.deepEqual(objectParser.push(Buffer.from('"}}}\n{"Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}\n')).rows, [])
  })
})
