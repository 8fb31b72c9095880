/**
 * Stream items: the byte form of an item's non-key attributes. The content is a CBOR int (the
 * attribute-list id) followed by one CBOR value per name in that list, with no framing; the
 * key attributes never appear (the client knows them from its request, or from key bytes).
 */
import type { Item } from '../../values/types.js'
import { canonicalAttributeNames, type AttributeListRegistry } from './attribute-lists.js'
import { attributeValueFromCbor, WireFormatError, writeAttributeValue } from './attribute-values.js'
import { CborReader, CborWriter, NeedMoreData } from './cbor.js'
import { setMember } from '../../values/members.js'

/** The stream-item bytes of `item`, leaving out `keyNames`. */
export function encodeStreamItem(item: Item, keyNames: readonly string[], registry: AttributeListRegistry): Buffer {
  const names = canonicalAttributeNames(Object.keys(item), keyNames)
  const writer = new CborWriter(128)
  writer.int(registry.idFor(names))
  for (const name of names) writeAttributeValue(writer, item[name]!)
  return writer.toBuffer()
}

/**
 * The UPDATED_OLD / UPDATED_NEW form: a list id, then a map from ordinal (position in that
 * list) to value. Every returned attribute is named in the list, so the map is dense.
 */
export function encodeOrdinalItem(item: Item, registry: AttributeListRegistry): Buffer {
  const names = Object.keys(item).sort()
  const writer = new CborWriter(128)
  writer.int(registry.idFor(names))
  writer.mapHeader(names.length)
  names.forEach((name, ordinal) => {
    writer.int(ordinal)
    writeAttributeValue(writer, item[name]!)
  })
  return writer.toBuffer()
}

/** The non-key attributes in stream-item bytes from a client. */
export function decodeStreamItem(bytes: Buffer, registry: AttributeListRegistry): Item {
  const reader = new CborReader(bytes)
  try {
    const id = reader.read()
    if (typeof id !== 'number') throw new WireFormatError('stream item must start with an attribute list id')
    const names = registry.namesFor(id)
    if (names === undefined) throw new WireFormatError(`unknown attribute list id ${id}`)
    const item: Item = {}
    for (const name of names) {
      if (reader.atEnd) throw new WireFormatError('stream item has fewer values than its attribute list')
      setMember(item, name, attributeValueFromCbor(reader.read()))
    }
    if (!reader.atEnd) throw new WireFormatError('stream item has more values than its attribute list')
    return item
  } catch (error) {
    if (error instanceof NeedMoreData) throw new WireFormatError('truncated stream item')
    throw error
  }
}
