/**
 * The calls a client makes about the cluster and about names rather than data: endpoint
 * discovery, a table's key schema, and the attribute-list registry. Each is open to a caller
 * that may make some data call on the cluster (src/security/dax-authorize.ts).
 */
import { isIPv4, isIPv6 } from 'node:net'
import type { DaxEndpoint } from '../node-api.js'
import { WireFormatError } from './attribute-values.js'
import { CborWriter } from './cbor.js'
import type { MethodDefinition } from './context.js'
import { bytesOf, integerOf } from './kwargs.js'

/** Stays fixed for the life of the process: clients compare it to notice a new primary. */
const leaderSessionId = Math.floor(Date.now() / 1000) % 2 ** 31
const roleCodes = { primary: 1, replica: 2 } as const

export const endpoints: MethodDefinition = {
  name: 'endpoints',
  arity: 0,
  async handle(context) {
    context.authorizeMetadata('Endpoints')
    const nodes = context.endpoints()
    const writer = new CborWriter(64 * (nodes.length + 1))
    writer.arrayHeader(nodes.length)
    for (const node of nodes) writeEndpoint(writer, node)
    return [writer.toBuffer()]
  },
}

/** {0 nodeId, 1 hostname, 2 address bytes, 3 port, 4 role, 5 availability zone, 6 leader session}. */
function writeEndpoint(writer: CborWriter, node: DaxEndpoint): void {
  writer.mapHeader(7)
  writer.int(0).int(numericNodeId(node.nodeId))
  writer.int(1).text(node.hostname)
  writer.int(2).bytes(addressBytes(node.address))
  writer.int(3).int(node.port)
  writer.int(4).int(roleCodes[node.role])
  writer.int(5).text(node.availabilityZone)
  writer.int(6).int(leaderSessionId)
}

/** DAX node ids are ints on the wire: 'node-0003' → 3, other names → a stable hash. */
export function numericNodeId(nodeId: string): number {
  const digits = /(\d{1,9})$/.exec(nodeId)
  if (digits) return Number(digits[1])
  let hash = 0
  for (let index = 0; index < nodeId.length; index++) hash = (Math.imul(hash, 31) + nodeId.charCodeAt(index)) >>> 0
  return hash % 2 ** 31
}

export function addressBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number))
  if (isIPv6(address)) return ipv6Bytes(address)
  throw new WireFormatError(`node address must be an IP literal, got ${address}`)
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::')
  const groups = (text: string) => (text === '' ? [] : text.split(':'))
  let left = groups(head)
  let right = tail === undefined ? [] : groups(tail)
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const last = (right.length ? right : left).at(-1)
  if (last && isIPv4(last)) {
    const octets = last.split('.').map(Number)
    const replacement = [((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16)]
    if (right.length) right = [...right.slice(0, -1), ...replacement]
    else left = [...left.slice(0, -1), ...replacement]
  }
  const zeros = Array(8 - left.length - right.length).fill('0')
  const buffer = Buffer.alloc(16)
  ;[...left, ...zeros, ...right].forEach((group, index) => buffer.writeUInt16BE(parseInt(group, 16), index * 2))
  return buffer
}

export const defineKeySchema: MethodDefinition = {
  name: 'defineKeySchema',
  arity: 1,
  async handle(context, [table]) {
    context.authorizeMetadata('DefineKeySchema')
    const schema = await context.schemas.get(bytesOf(table).toString('utf8'), true)
    const writer = new CborWriter(64)
    writer.mapHeader(schema.length)
    for (const attribute of schema) writer.text(attribute.name).text(attribute.type)
    return [writer.toBuffer()]
  },
}

/** Longest list of names accepted: an item cannot have more attributes than bytes. */
const attributeNamesMax = 100_000

export const defineAttributeListId: MethodDefinition = {
  name: 'defineAttributeListId',
  arity: 1,
  async handle(context, [names]) {
    context.authorizeMetadata('DefineAttributeListId')
    if (!Array.isArray(names) || names.length > attributeNamesMax || !names.every((name) => typeof name === 'string')) {
      throw new WireFormatError('attribute names must be an array of text')
    }
    return [new CborWriter(8).int(context.registry.idFor(names as string[])).toBuffer()]
  },
}

export const defineAttributeList: MethodDefinition = {
  name: 'defineAttributeList',
  arity: 1,
  async handle(context, [id]) {
    context.authorizeMetadata('DefineAttributeList')
    const names = context.registry.namesFor(integerOf(id))
    if (names === undefined) throw new WireFormatError(`unknown attribute list id ${String(id)}`)
    const writer = new CborWriter(64)
    writer.arrayHeader(names.length)
    for (const name of names) writer.text(name)
    return [writer.toBuffer()]
  },
}
