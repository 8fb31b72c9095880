/**
 * The DAX methods this server answers, by the method id the clients send. Ids and argument
 * counts are fixed by the protocol (shared by the v1 and v3 JS clients and the Go client).
 * Any other id (createTable, describeTable, ... which current clients reject client-side)
 * gets NotImplemented.
 */
import type { MethodDefinition } from './context.js'
import { deleteItem, getItem, putItem, updateItem } from './item-operations.js'
import { defineAttributeList, defineAttributeListId, defineKeySchema, endpoints } from './metadata-methods.js'
import { query, scan } from './query-scan.js'
import { batchGetItem, batchWriteItem } from './batch-operations.js'
import { transactGetItems, transactWriteItems } from './transactions.js'

export const daxMethods: ReadonlyMap<number, MethodDefinition> = new Map([
  [455855874, endpoints],
  [-742646399, defineKeySchema],
  [-1230579644, defineAttributeListId],
  [670678385, defineAttributeList],
  [263244906, getItem],
  [-2106490455, putItem],
  [1013539361, deleteItem],
  [1425579023, updateItem],
  [-931250863, query],
  [-1875390620, scan],
  [-697851100, batchGetItem],
  [116217951, batchWriteItem],
  [1866287579, transactGetItems],
  [-1160037738, transactWriteItems],
])
