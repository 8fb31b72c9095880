import { randomBytes } from 'node:crypto'

/**
 * DynamoDB request ids are 52 characters of [A-Z0-9]. A random per-process prefix plus a
 * counter keeps them unique without paying for randomness on every request.
 */
const prefix = randomBytes(30).toString('base64').toUpperCase().replace(/[^A-Z0-9]/g, '0').slice(0, 40)
let counter = 0

export function nextRequestId(): string {
  counter = (counter + 1) % 0x7fffffff
  return prefix + counter.toString(36).toUpperCase().padStart(12, '0')
}
