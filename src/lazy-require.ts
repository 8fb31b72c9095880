/**
 * Packages that only some servers use (the PostgreSQL driver, the S3 client and its multipart
 * uploader, Ion) are loaded on first use instead of at startup: imported eagerly they took most
 * of the time from `eddydb serve` to its first answer, and memory that a server which never
 * exports or imports kept for nothing. They are CommonJS packages, so a synchronous require
 * keeps their callers as they are.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** A function returning the package, loading it the first time it is called. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= require(specifier) as T)
}
