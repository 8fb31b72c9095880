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
 * Builds `{...fields, name: raw}` as text: `fields` are serialized, each raw value is spliced
 * in as is. Raw members come last; undefined members are left out.
 */
export function jsonWithRawMembers(fields: Record<string, unknown>, raw: Record<string, string | undefined>): JsonText {
  let text = JSON.stringify(fields)
  let members = ''
  for (const name in raw) {
    const value = raw[name]
    if (value === undefined) continue
    members += (members ? ',' : '') + JSON.stringify(name) + ':' + value
  }
  if (members) text = text.length === 2 ? `{${members}}` : `${text.slice(0, -1)},${members}}`
  return new JsonText(text)
}
