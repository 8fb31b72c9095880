/**
 * CSV rows for ImportTable: one row per line, fields split on the delimiter, RFC 4180 quoting
 * within the line ("a,b" is one field, "" inside quotes is a quote). A quoted field spanning
 * lines is not supported: each line is a row.
 */
import { ItemFormatError } from '../s3/ion-items.js'
import type { Item, ScalarKeyType } from '../values/types.js'
import { numberProblem, parseNumber } from '../values/number.js'
import { base64Problem } from '../values/attribute-value.js'
import { setMember } from '../values/members.js'

export function csvFields(line: string, delimiter: string): string[] {
  const fields: string[] = []
  let index = 0
  for (;;) {
    let field = ''
    if (line[index] === '"') {
      index++
      for (;;) {
        const quote = line.indexOf('"', index)
        if (quote < 0) throw new ItemFormatError('Unterminated quoted field in CSV line')
        field += line.slice(index, quote)
        index = quote + 1
        if (line[index] === '"') {
          field += '"'
          index++
          continue
        }
        break
      }
      if (index < line.length && line[index] !== delimiter) throw new ItemFormatError('Unexpected character after a quoted field in CSV line')
    } else {
      const end = line.indexOf(delimiter, index)
      field = end < 0 ? line.slice(index) : line.slice(index, end)
      index = end < 0 ? line.length : end
    }
    fields.push(field)
    if (index >= line.length) return fields
    index++ // the delimiter
  }
}

/**
 * An item from a CSV row. DynamoDB types only the key attributes of the table and its indexes
 * (by AttributeDefinitions); every other column is a String. An empty field is left out (EddyDB's
 * choice where DynamoDB's documentation says nothing).
 */
export function csvItem(fields: string[], header: string[], keyTypes: Record<string, ScalarKeyType>): Item {
  if (fields.length > header.length) {
    throw new ItemFormatError(`The CSV line has ${fields.length} fields but the header has ${header.length} columns`)
  }
  const item: Item = {}
  fields.forEach((field, index) => {
    if (field === '') return
    const name = header[index]!
    const type = keyTypes[name] ?? 'S'
    if (type === 'N') {
      const problem = numberProblem(field)
      if (problem) throw new ItemFormatError(problem)
      setMember(item, name, { N: parseNumber(field) })
    } else if (type === 'B') {
      const problem = base64Problem(field)
      if (problem) throw new ItemFormatError(problem)
      setMember(item, name, { B: field })
    } else setMember(item, name, { S: field })
  })
  return item
}
