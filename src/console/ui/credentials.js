// The one place the console's credentials live. A server without --credentials accepts any
// well-shaped signature, so placeholder keys sign every request there; a server that verifies
// signatures gets the key the user signed in with, kept in sessionStorage (gone when the tab
// closes, never sent anywhere but in signatures).
const storageKey = 'eddydb.console.credentials'

const placeholder = { accessKeyId: 'EDDYDBCONSOLE', secretAccessKey: 'eddydb-console-placeholder-secret' }

/** The user's own key, or undefined when none was entered in this tab. */
export function savedCredentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null')
    if (saved?.accessKeyId && saved?.secretAccessKey) return saved
  } catch { /* unreadable storage: as if nothing were saved */ }
  return undefined
}

export const credentials = () => savedCredentials() ?? placeholder

/** { accessKeyId, secretAccessKey, sessionToken? } */
export function setCredentials({ accessKeyId, secretAccessKey, sessionToken }) {
  sessionStorage.setItem(storageKey, JSON.stringify({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }))
}

export function clearCredentials() {
  sessionStorage.removeItem(storageKey)
}
