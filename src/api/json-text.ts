/**
 * A response body that is already JSON text. Items are stored as wire JSON, so a read can
 * splice stored text into the reply instead of parsing and re-serializing it.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** DynamoDB quirk: TagResource and UntagResource succeed with an empty body, not '{}'. */
export const emptyReply = new JsonText('')

/**
 * A response object as JSON text. DynamoDB's model types the numbers of ConsumedCapacity and
 * ItemCollectionMetrics as doubles, and the service writes a whole one as `1.0`, not `1` (the
 * AWS CLI prints `"CapacityUnits": 1.0`; boto3 reads a float). Those two members are written so;
 * every other number is an integer or a string in DynamoDB's model.
 */
export function responseText(output: object): string {
  const members = output as Record<string, unknown>
  if (members.ConsumedCapacity === undefined && members.ItemCollectionMetrics === undefined) return JSON.stringify(output)
  const plain: Record<string, unknown> = {}
  let doubles = ''
  for (const name in members) {
    const value = members[name]
    if (value === undefined) continue
    if (name === 'ConsumedCapacity' || name === 'ItemCollectionMetrics') doubles += `,${JSON.stringify(name)}:${withDoubles(value)}`
    else plain[name] = value
  }
  const text = JSON.stringify(plain)
  return text.length === 2 ? `{${doubles.slice(1)}}` : `${text.slice(0, -1)}${doubles}}`
}

/** JSON text of a value whose whole numbers are doubles: 1 as `1.0` (up to 10^7, past which Java writes `1.0E7`). */
function withDoubles(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e7 ? `${value}.0` : JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(withDoubles).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  let members = ''
  for (const [name, member] of Object.entries(value)) {
    if (member !== undefined) members += `${members ? ',' : ''}${JSON.stringify(name)}:${withDoubles(member)}`
  }
  return `{${members}}`
}

/**
 * Builds `{...fields, name: raw}` as text: `fields` are serialized (responseText), each raw value
 * is spliced in as is. Raw members come last; undefined members are left out.
 */
export function jsonWithRawMembers(fields: Record<string, unknown>, raw: Record<string, string | undefined>): JsonText {
  let text = responseText(fields)
  let members = ''
  for (const name in raw) {
    const value = raw[name]
    if (value === undefined) continue
    members += (members ? ',' : '') + JSON.stringify(name) + ':' + value
  }
  if (members) text = text.length === 2 ? `{${members}}` : `${text.slice(0, -1)},${members}}`
  return new JsonText(text)
}
