/**
 * What a PostgreSQL storage URL looks like, apart from the engine so that the server can check
 * --storage-url without loading the engine and its driver when the storage is SQLite.
 */
const urlPattern = /^postgres(ql)?:\/\//

export function isPostgresUrl(url: string): boolean {
  return urlPattern.test(url)
}

/** The URL without its password, to name the database in an error. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return 'the storage URL'
  }
}
