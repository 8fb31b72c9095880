// The one place the console's credentials live. Signatures are not verified by the server yet,
// so placeholder keys sign every request; when credentials are configured, a sign-in form will
// set them here (setCredentials) and every request will carry the user's own signature.
const storageKey = 'eddydb.console.credentials'

const placeholder = { accessKeyId: 'EDDYDBCONSOLE', secretAccessKey: 'eddydb-console-placeholder-secret' }

export function credentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null')
    if (saved?.accessKeyId && saved?.secretAccessKey) return saved
  } catch { /* unreadable storage: use the placeholder */ }
  return placeholder
}

export function setCredentials(accessKeyId, secretAccessKey) {
  sessionStorage.setItem(storageKey, JSON.stringify({ accessKeyId, secretAccessKey }))
}
