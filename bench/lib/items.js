// The benchmark data set: the same items for every target, from a seeded generator.
// Item index i lives in partition floor(i / 10) with sort key i % 10, so N items form N/10
// partitions of 10 (10,000 items = 1,000 partitions x 10). Every item is about 400 bytes by
// DynamoDB's size rules (attribute names plus values).

export const TABLE_NAME = 'bench';
export const ITEMS_PER_PARTITION = 10;
const PAYLOAD_CHARS = 285;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';

/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same items on every run. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Partition key text for item index i; fixed width so lexical and numeric order agree. */
export function partitionKeyOf(itemIndex) {
  return `p${String(Math.floor(itemIndex / ITEMS_PER_PARTITION)).padStart(7, '0')}`;
}

export function sortKeyOf(itemIndex) {
  return itemIndex % ITEMS_PER_PARTITION;
}

export function keyOf(itemIndex) {
  return { pk: { S: partitionKeyOf(itemIndex) }, sk: { N: String(sortKeyOf(itemIndex)) } };
}

function randomText(random, length) {
  let text = '';
  for (let index = 0; index < length; index++) {
    text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  }
  return text;
}

/** The non-key attributes of an item, drawn from the given PRNG. */
export function itemBody(random) {
  return {
    name: { S: randomText(random, 24) },
    email: { S: `${randomText(random, 12).replaceAll(' ', '.')}@example.com` },
    count: { N: String(Math.floor(random() * 1000)) },
    price: { N: (random() * 10_000).toFixed(2) },
    active: { BOOL: random() < 0.5 },
    tags: { SS: ['red', 'green', 'blue'].filter((_, index) => random() < 0.7 || index === 0) },
    payload: { S: randomText(random, PAYLOAD_CHARS) },
  };
}

/** Item i of the data set; the same seed and index always give the same item. */
export function itemAt(itemIndex, seed = 1) {
  return { ...keyOf(itemIndex), ...itemBody(seededRandom(seed * 1_000_003 + itemIndex)) };
}

/** DynamoDB's item size: names plus values (numbers approximated by their digit count). */
export function itemSizeBytes(item) {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if ('S' in value) bytes += Buffer.byteLength(value.S);
    else if ('N' in value) bytes += Math.ceil(value.N.replace(/[-.]/g, '').length / 2) + 1;
    else if ('BOOL' in value) bytes += 1;
    else if ('SS' in value) bytes += value.SS.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  }
  return bytes;
}

export const TABLE_DEFINITION = {
  TableName: TABLE_NAME,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};
