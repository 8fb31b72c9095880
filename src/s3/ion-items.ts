/**
 * Items in Amazon Ion text, as DynamoDB's ION exports write them and its ION imports read them
 * (spec §6.5): S string, N decimal (`6d2`, `103.`), B blob, BOOL bool, NULL null, M struct,
 * L list, and sets as lists annotated $dynamodb_SS / $dynamodb_NS / $dynamodb_BS.
 *
 * Writing is done here by hand (numbers must come out as decimals whatever their digits, which
 * ion-js's writer does not promise); reading goes through ion-js, since input is anyone's Ion.
 */
import type { Reader } from 'ion-js'
import { lazyRequire } from '../lazy-require.js'
import { decompose, parseNumber } from '../values/number.js'
import type { AttributeValue, Item } from '../values/types.js'
import { setMember } from '../values/members.js'

const ion = lazyRequire<typeof import('ion-js')>('ion-js')

/** DynamoDB's canonical number text as an Ion decimal: trailing zeros go to the exponent. */
export function ionDecimal(number: string): string {
  const parts = decompose(number)
  if (parts.digits === '') return '0.'
  const sign = parts.negative ? '-' : ''
  // decompose's exponent is that of the first digit; Ion's applies to the last one.
  const exponent = parts.exponent - (parts.digits.length - 1)
  return exponent === 0 ? `${sign}${parts.digits}.` : `${sign}${parts.digits}d${exponent}`
}

/** Ion text of an attribute value. JSON's string escapes are all valid Ion escapes. */
export function ionValue(value: AttributeValue): string {
  if ('S' in value) return JSON.stringify(value.S)
  if ('N' in value) return ionDecimal(value.N)
  if ('B' in value) return `{{${value.B}}}`
  if ('BOOL' in value) return value.BOOL ? 'true' : 'false'
  if ('NULL' in value) return 'null'
  if ('SS' in value) return `$dynamodb_SS::[${value.SS.map((member) => JSON.stringify(member)).join(',')}]`
  if ('NS' in value) return `$dynamodb_NS::[${value.NS.map(ionDecimal).join(',')}]`
  if ('BS' in value) return `$dynamodb_BS::[${value.BS.map((member) => `{{${member}}}`).join(',')}]`
  if ('M' in value) return ionStruct(value.M)
  return `[${value.L.map(ionValue).join(',')}]`
}

/** A struct of attributes; names are written as quoted strings, which Ion allows for any name. */
export function ionStruct(item: Item): string {
  const fields: string[] = []
  for (const name in item) fields.push(`${JSON.stringify(name)}:${ionValue(item[name]!)}`)
  return `{${fields.join(',')}}`
}

/** Why a line is not an item, in the words written to the import error log. */
export class ItemFormatError extends Error {}

const setAnnotations: Record<string, 'SS' | 'NS' | 'BS'> = {
  $dynamodb_SS: 'SS', $dynamodb_NS: 'NS', $dynamodb_BS: 'BS',
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** The number text of the reader's current int, decimal or float value. */
function numberText(reader: Reader): string {
  const type = reader.type()
  if (type === ion().IonTypes.INT) return reader.bigIntValue()!.toString()
  if (type === ion().IonTypes.FLOAT) {
    const value = reader.numberValue()!
    if (!Number.isFinite(value)) throw new ItemFormatError(`The number ${value} cannot be stored in DynamoDB`)
    return String(value)
  }
  const decimal = reader.decimalValue()!
  const coefficient = decimal.getCoefficient()
  const magnitude = coefficient < 0n ? -coefficient : coefficient
  return parseNumber(`${decimal.isNegative() ? '-' : ''}${magnitude}E${decimal.getExponent()}`)
}

function readSet(reader: Reader, kind: 'SS' | 'NS' | 'BS'): AttributeValue {
  const members: string[] = []
  reader.stepIn()
  while (reader.next() !== null) {
    if (kind === 'SS') members.push(reader.stringValue()!)
    else if (kind === 'NS') members.push(numberText(reader))
    else members.push(base64(reader.uInt8ArrayValue()!))
  }
  reader.stepOut()
  return { [kind]: members } as AttributeValue
}

function readValue(reader: Reader): AttributeValue {
  const type = reader.type()!
  if (reader.isNull()) return { NULL: true }
  const set = reader.annotations().map((annotation) => setAnnotations[annotation]).find(Boolean)
  if (set && type === ion().IonTypes.LIST) return readSet(reader, set)
  switch (type) {
    case ion().IonTypes.STRING: return { S: reader.stringValue()! }
    case ion().IonTypes.INT:
    case ion().IonTypes.FLOAT:
    case ion().IonTypes.DECIMAL: return { N: numberText(reader) }
    case ion().IonTypes.BLOB: return { B: base64(reader.uInt8ArrayValue()!) }
    case ion().IonTypes.BOOL: return { BOOL: reader.booleanValue()! }
    case ion().IonTypes.STRUCT: return { M: readStruct(reader) }
    case ion().IonTypes.LIST: {
      const list: AttributeValue[] = []
      reader.stepIn()
      while (reader.next() !== null) list.push(readValue(reader))
      reader.stepOut()
      return { L: list }
    }
    default: throw new ItemFormatError(`Unsupported Ion type ${type.name}`)
  }
}

function readStruct(reader: Reader): Item {
  const item: Item = {}
  reader.stepIn()
  while (reader.next() !== null) setMember(item, reader.fieldName()!, readValue(reader))
  reader.stepOut()
  return item
}

/**
 * The item of one import line, `$ion_1_0 {Item:{…}}` (the version marker is optional). Throws
 * ItemFormatError for anything else.
 */
export function itemFromIonLine(line: string): Item {
  let item: Item | undefined
  try {
    const reader = ion().makeReader(line)
    if (reader.next() !== ion().IonTypes.STRUCT || reader.isNull()) throw new ItemFormatError('Expected an Ion struct with an Item field')
    reader.stepIn()
    while (reader.next() !== null) {
      if (reader.fieldName() !== 'Item') continue
      if (reader.type() !== ion().IonTypes.STRUCT || reader.isNull()) throw new ItemFormatError('Item must be an Ion struct')
      item = readStruct(reader)
    }
    reader.stepOut()
    if (reader.next() !== null) throw new ItemFormatError('Expected one Ion struct per line')
  } catch (error) {
    if (error instanceof ItemFormatError) throw error
    throw new ItemFormatError(`Invalid Ion: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!item) throw new ItemFormatError('Missing the Item field')
  return item
}
