import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ReportFile } from './run-bulk-put.js'

test('a report file keeps records while they fit its size, then only says it was cut short', () => {
  const report = new ReportFile(300)
  const record = (lineNumber: number) => ({ objectKey: 'in.json', lineNumber, errorCode: 'ValidationException', errorMessage: 'x'.repeat(40) })
  for (let line = 1; line <= 10; line++) report.keep(record(line))
  assert.equal(report.truncated, true)
  assert.ok(report.bytes <= 300)
  assert.deepEqual(report.lines.map((line) => JSON.parse(line).lineNumber), [1, 2])
  // Once cut short, a smaller record does not slip in after the gap.
  report.keep({ objectKey: 'in.json', lineNumber: 11 })
  assert.equal(report.lines.length, 2)
})
