import { test } from 'node:test'
import assert from 'node:assert/strict'
import { postgresDriver } from './driver.js'
import { quoteString } from './sql.js'

test('quoteString writes the literal the pg driver\'s escapeLiteral writes', () => {
  const texts = ['', 'plain', "it's", "''", 'a\\b', "\\'", '\\\\', "x'\\'y", 'é 🎉 \u0001', "'\\".repeat(1000), 'z'.repeat(100_000)]
  for (const text of texts) assert.equal(quoteString(text), postgresDriver().escapeLiteral(text), JSON.stringify(text.slice(0, 20)))
})
