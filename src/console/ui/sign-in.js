// Signing in, for a server started with --credentials: the console asks for an access key and
// its secret, checks them with one signed request, and keeps them for the tab's session.
import { useState } from 'preact/hooks'
import { html } from './html.js'
import { ApiError, dynamo } from './api.js'
import { clearCredentials, savedCredentials, setCredentials } from './credentials.js'
import { ErrorMessage } from './components.js'

/** The errors that mean "this key or signature is not accepted", as opposed to "not allowed". */
const refusedKeyErrors = new Set([
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException',
])

/**
 * Whether the server accepts the current credentials: 'accepted', or 'refused' with the server's
 * error. A key that may not list tables is still a good key (AccessDeniedException): it signs in,
 * and can then do what its policies allow.
 */
export async function checkAccess(region) {
  try {
    await dynamo('ListTables', { Limit: 1 }, region)
    return { accepted: true }
  } catch (error) {
    if (error instanceof ApiError && refusedKeyErrors.has(error.type)) return { accepted: false, error }
    return { accepted: true }
  }
}

export function SignInForm({ region, refusal, onSignedIn }) {
  const [fields, setFields] = useState({ accessKeyId: '', secretAccessKey: '', sessionToken: '', region })
  const [error, setError] = useState(refusal && savedCredentials() ? refusal : undefined)
  const [busy, setBusy] = useState(false)
  const field = (name) => (event) => setFields({ ...fields, [name]: event.target.value })
  const submit = async (event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    setCredentials({ accessKeyId: fields.accessKeyId.trim(), secretAccessKey: fields.secretAccessKey, sessionToken: fields.sessionToken.trim() })
    const access = await checkAccess(fields.region.trim())
    setBusy(false)
    if (access.accepted) return onSignedIn(fields.region.trim())
    clearCredentials()
    setError(access.error)
  }
  return html`
    <form class="form sign-in" aria-label="Sign in" onSubmit=${submit}>
      <h1>Sign in</h1>
      <p class="muted">This server verifies signatures. Enter an access key from its credentials file: the console signs
        every request with it (SigV4, in this browser) and can do only what that key may do. The key is kept in this tab's
        session storage until you sign out or close the tab.</p>
      <${ErrorMessage} error=${error} />
      <label>Access key ID <input name="accessKeyId" autocomplete="username" required value=${fields.accessKeyId} onInput=${field('accessKeyId')} /></label>
      <label>Secret access key <input name="secretAccessKey" type="password" autocomplete="current-password" required value=${fields.secretAccessKey} onInput=${field('secretAccessKey')} /></label>
      <label>Session token (temporary keys only) <input name="sessionToken" autocomplete="off" value=${fields.sessionToken} onInput=${field('sessionToken')} /></label>
      <label>Region <input name="region" required value=${fields.region} onInput=${field('region')} /></label>
      <div class="actions left"><button type="submit" class="primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button></div>
    </form>`
}
