/**
 * SQL text with its values written in as literals, built by the `sql` template tag.
 *
 * Why literals and not bind parameters: a bind parameter needs the extended query protocol,
 * which takes one statement per round trip. Written as literals, several statements (a
 * transaction's pending writes, then its next read; or BEGIN and the first read; or the last
 * writes and COMMIT) travel as ONE simple-protocol query, one round trip to the database. That is
 * what keeps a PutItem at two round trips (see transaction.ts).
 *
 * Safety comes from the tag: every interpolated value becomes a literal through `literal()`;
 * only `Sql` fragments (built by this module, e.g. schema-qualified table names) are spliced in
 * as they are. Strings are quoted as the driver's escapeLiteral quotes them (quotes and
 * backslashes doubled, E'' when there is a backslash; `quoteString`); bytes become decode('<hex>', 'hex'), which means the same whatever standard_conforming_strings
 * says and which PostgreSQL, CockroachDB and YugabyteDB all accept.
 */
import type pg from 'pg'
import { postgresDriver } from './driver.js'

export type SqlValue = string | number | Buffer | null | undefined

/** A piece of SQL text, safe to splice into another. */
export class Sql {
  constructor(readonly text: string) {}
}

export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<SqlValue | Sql>): Sql {
  let text = strings[0]!
  values.forEach((value, index) => {
    text += (value instanceof Sql ? value.text : literal(value)) + strings[index + 1]!
  })
  return new Sql(text)
}

/** Fragments joined by a separator (`, ` for column lists, ` AND ` for conditions). */
export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  return new Sql(fragments.map((fragment) => fragment.text).join(separator))
}

export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number for SQL: ${value}`)
    return String(value)
  }
  if (Buffer.isBuffer(value)) return `decode('${value.toString('hex')}', 'hex')`
  return quoteString(value)
}

/**
 * A string literal, exactly as the pg driver's escapeLiteral (libpq's PQescapeLiteral) writes it:
 * quotes doubled, and with any backslash, backslashes doubled in an E'' literal. The driver's
 * builds the literal one character at a time, which for an item of 400 KB leaves a string of
 * 400,000 pieces to flatten: a BatchWriteItem of 25 such items (each written as its row and its
 * change record) took five seconds, most of it garbage collection, and 1.5 GB of memory.
 */
export function quoteString(value: string): string {
  const quoted = value.includes("'") ? value.replaceAll("'", "''") : value
  if (!value.includes('\\')) return `'${quoted}'`
  return ` E'${quoted.replaceAll('\\', '\\\\')}'`
}

/** A quoted identifier (schema names come from region names). */
export function identifier(name: string): Sql {
  return new Sql(postgresDriver().escapeIdentifier(name))
}
