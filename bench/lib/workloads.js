// The measured workloads. Each request body is a template with key placeholders ({{PK0}},
// {{SK0}}, {{PK1}}, ...). Per request the load generator draws a random item index and fills key
// k with item (base + k) mod itemCount, so keys are spread over the whole table (caches can't make
// it trivial) and the keys of one request are always distinct (BatchWriteItem refuses duplicates).
// Written items also carry {{SEQ}}, a number that differs from request to request, so that every
// put changes the item it overwrites: a server that skips the write of an unchanged item (EddyDB
// does, as DynamoDB records no stream record for it) would otherwise be measured on puts that,
// after the first pass over the keys, mostly write nothing.
// The same template drives the wrk Lua script, the autocannon fallback and the one-off check.
import { TABLE_NAME, itemBody, keyOf, partitionKeyOf, seededRandom, sortKeyOf } from './items.js';

export const BATCH_WRITE_SIZE = 25;
export const SCAN_PAGE_ITEMS = 100;
const WRITE_ITEM_SEED = 424242;
const SEQUENCE_PLACEHOLDER = '{{SEQ}}';
const placeholderPattern = /\{\{(PK|SK)(\d+)\}\}|\{\{SEQ\}\}/g;

function keyPlaceholder(slot) {
  return { pk: { S: `{{PK${slot}}}` }, sk: { N: `{{SK${slot}}}` } };
}

/** A full item for writes: the key placeholders, a fixed ~400-byte body and a changing revision. */
function writeItem(slot) {
  return { ...keyPlaceholder(slot), ...itemBody(seededRandom(WRITE_ITEM_SEED + slot)), revision: { N: '{{SEQ}}' } };
}

/**
 * @typedef {{ name: string, operation: string, keysPerRequest: number, template: string,
 *   check: (reply: any) => string | undefined, writes: boolean }} Workload
 * check() returns a complaint when a reply does not look like a correct answer.
 */

/** @type {Workload[]} */
export const WORKLOADS = [
  {
    name: 'GetItem',
    operation: 'GetItem',
    keysPerRequest: 1,
    writes: false,
    template: JSON.stringify({ TableName: TABLE_NAME, Key: keyPlaceholder(0) }),
    check: (reply) => (reply.Item?.payload ? undefined : 'no Item in the reply'),
  },
  {
    name: 'PutItem',
    operation: 'PutItem',
    keysPerRequest: 1,
    writes: true,
    template: JSON.stringify({ TableName: TABLE_NAME, Item: writeItem(0) }),
    check: () => undefined,
  },
  {
    name: 'UpdateItem+condition',
    operation: 'UpdateItem',
    keysPerRequest: 1,
    writes: true,
    template: JSON.stringify({
      TableName: TABLE_NAME,
      Key: keyPlaceholder(0),
      UpdateExpression: 'SET #count = #count + :one, #active = :active',
      ConditionExpression: 'attribute_exists(pk) AND #count >= :zero',
      ExpressionAttributeNames: { '#count': 'count', '#active': 'active' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':zero': { N: '0' }, ':active': { BOOL: true } },
    }),
    check: () => undefined,
  },
  {
    name: 'Query-10',
    operation: 'Query',
    keysPerRequest: 1,
    writes: false,
    template: JSON.stringify({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: '{{PK0}}' } },
    }),
    check: (reply) => (reply.Count === 10 ? undefined : `Count ${reply.Count}, expected 10`),
  },
  {
    name: `Scan-page-${SCAN_PAGE_ITEMS}`,
    operation: 'Scan',
    keysPerRequest: 1,
    writes: false,
    template: JSON.stringify({
      TableName: TABLE_NAME, Limit: SCAN_PAGE_ITEMS, ExclusiveStartKey: keyPlaceholder(0),
    }),
    check: (reply) => (reply.Count > 0 ? undefined : `Count ${reply.Count}, expected items`),
  },
  {
    name: `BatchWriteItem-${BATCH_WRITE_SIZE}`,
    operation: 'BatchWriteItem',
    keysPerRequest: BATCH_WRITE_SIZE,
    writes: true,
    template: JSON.stringify({
      RequestItems: {
        [TABLE_NAME]: Array.from({ length: BATCH_WRITE_SIZE }, (_, slot) => ({
          PutRequest: { Item: writeItem(slot) },
        })),
      },
    }),
    check: (reply) => (Object.keys(reply.UnprocessedItems ?? {}).length === 0
      ? undefined : 'UnprocessedItems in the reply'),
  },
  {
    name: 'TransactWriteItems-2',
    operation: 'TransactWriteItems',
    keysPerRequest: 2,
    writes: true,
    template: JSON.stringify({
      TransactItems: [0, 1].map((slot) => ({ Put: { TableName: TABLE_NAME, Item: writeItem(slot) } })),
    }),
    check: () => undefined,
  },
];

/** The workloads measured at 10k, 100k and 1M items on EddyDB. */
export const SCALE_WORKLOAD_NAMES = ['GetItem', 'Query-10'];

export function workloadNamed(name) {
  const workload = WORKLOADS.find((candidate) => candidate.name === name);
  if (workload === undefined) throw new Error(`unknown workload ${name}`);
  return workload;
}

/**
 * Splits a template into literal text, key slots and the sequence, e.g.
 * ['{"Key":', {slot:0, part:'PK'}, ...].
 * @returns {Array<string | { slot: number, part: 'PK' | 'SK' } | { part: 'SEQ' }>}
 */
export function templateSegments(template) {
  const segments = [];
  let literalStart = 0;
  for (const match of template.matchAll(placeholderPattern)) {
    segments.push(template.slice(literalStart, match.index));
    segments.push(match[0] === SEQUENCE_PLACEHOLDER
      ? { part: 'SEQ' }
      : { slot: Number(match[2]), part: /** @type {'PK'|'SK'} */ (match[1]) });
    literalStart = match.index + match[0].length;
  }
  segments.push(template.slice(literalStart));
  return segments;
}

/**
 * Fills a template for the request whose first key is item baseIndex; `sequence` is the
 * request's {{SEQ}} (it only has to differ between requests that write the same item).
 */
export function fillTemplate(template, baseIndex, itemCount, sequence) {
  return template.replace(placeholderPattern, (placeholder, part, slot) => {
    if (placeholder === SEQUENCE_PLACEHOLDER) return String(sequence);
    const itemIndex = (baseIndex + Number(slot)) % itemCount;
    return part === 'PK' ? partitionKeyOf(itemIndex) : String(sortKeyOf(itemIndex));
  });
}

export { keyOf };
