/**
 * Where this process keeps the DAX attribute lists it hands out (src/dax/wire/attribute-lists.ts):
 * set by a server with a data directory, read when DAX first needs a list. A module of its own so
 * that a server that never serves DAX loads none of DAX's code.
 */
export const attributeListFile: { path?: string } = {}

/** Its name in a server's data directory or `eddydb dax --state-dir`. */
export const attributeListFileName = 'dax-attribute-lists.jsonl'
