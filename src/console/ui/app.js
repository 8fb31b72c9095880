// The console's shell: header with navigation and region, and the page the URL hash names.
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { html } from './html.js'
import { serverStatus } from './api.js'
import { TablesPage } from './pages/tables.js'
import { CreateTablePage } from './pages/create-table.js'
import { TablePage } from './pages/table.js'
import { PartiqlPage } from './pages/partiql.js'
import { TriggersPage } from './pages/triggers.js'
import { MetricsPage } from './pages/metrics.js'
import { DataPage } from './pages/data.js'
import { checkAccess, SignInForm } from './sign-in.js'
import { clearCredentials, savedCredentials } from './credentials.js'

const regionKey = 'eddydb.console.region'

function useHashRoute() {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  const [route, setRoute] = useState(read)
  useEffect(() => {
    const changed = () => setRoute(read())
    addEventListener('hashchange', changed)
    return () => removeEventListener('hashchange', changed)
  }, [])
  return route
}

/** The skip link moves focus to the page's content; followed as a link, the hash router would read "#main" as a page. */
function skipToContent(event) {
  event.preventDefault()
  document.getElementById('main')?.focus()
}

function App() {
  const route = useHashRoute()
  const [status, setStatus] = useState()
  const [region, setRegion] = useState(localStorage.getItem(regionKey) ?? '')
  // { accepted } once the server has answered a signed request: false shows the sign-in form.
  const [access, setAccess] = useState()
  useEffect(() => {
    if (!access) {
      checkAccess(region || 'us-east-1').then((checked) => {
        // A region kept from an earlier visit that the server does not know (mistyped) is the
        // region's fault, not the key's: forget it and ask again with the default, rather than
        // ask for a key the server may not even need.
        if (!checked.accepted && region && /scoped to a valid region/.test(checked.error?.message ?? '')) {
          localStorage.removeItem(regionKey)
          setRegion('')
          return checkAccess('us-east-1').then(setAccess)
        }
        setAccess(checked)
      })
      return
    }
    if (!access.accepted) return
    // With credentials, the status route answers only an operator key; others keep their region.
    serverStatus(region || 'us-east-1').then((value) => {
      setStatus(value)
      setRegion((current) => current || value.defaultRegion)
    }, () => setRegion((current) => current || 'us-east-1'))
  }, [access])
  const chooseRegion = (value) => {
    const name = value.trim()
    if (!name) return
    localStorage.setItem(regionKey, name)
    setRegion(name)
  }
  const signedIn = (name) => {
    chooseRegion(name)
    setAccess({ accepted: true })
  }
  const signOut = () => {
    clearCredentials()
    setStatus(undefined)
    setAccess({ accepted: false })
  }
  const key = savedCredentials()
  const regions = [...new Set([region, status?.defaultRegion, ...(status?.regions ?? []).map((each) => each.name)].filter(Boolean))]
  const [section] = route
  const links = [['tables', 'Tables'], ['partiql', 'PartiQL'], ['triggers', 'Streams & triggers'], ['backups', 'Backups & data'], ['metrics', 'Metrics']]
  const current = section === '' || section === 'create-table' ? 'tables' : section
  const ready = access?.accepted && region
  return html`
    <a class="skip" href="#main" onClick=${skipToContent}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/tables"><img src="icon.svg" alt="" width="22" height="22" /> EddyDB</a>
      <nav aria-label="Main">
        ${ready && links.map(([path, label]) => html`<a href=${`#/${path}`} aria-current=${current === path ? 'page' : undefined}>${label}</a>`)}
      </nav>
      ${ready && html`<label class="region">Region
        <input list="regions" value=${region} size="12" onChange=${(event) => chooseRegion(event.target.value)} />
        <datalist id="regions">${regions.map((name) => html`<option value=${name} />`)}</datalist>
      </label>`}
      ${access?.accepted && key && html`<span class="signed-in">${key.accessKeyId}
        <button type="button" class="small" onClick=${signOut}>Sign out</button></span>`}
    </header>
    <main id="main" tabindex="-1">
      ${!access ? html`<p class="loading">Loading…</p>`
        : !access.accepted ? html`<${SignInForm} region=${region || 'us-east-1'} refusal=${access.error} onSignedIn=${signedIn} />`
        : ready ? page(route, region) : html`<p class="loading">Loading…</p>`}
    </main>
    <footer>${[`EddyDB ${status?.version ?? ''}`, status?.url, 'signed requests to the public APIs'].filter(Boolean).join(' · ')}</footer>`
}

function page([section, name, tab], region) {
  switch (section) {
    case '': case 'tables':
      return name ? html`<${TablePage} key=${`${region}/${name}`} region=${region} name=${name} tab=${tab ?? 'items'} />` : html`<${TablesPage} region=${region} />`
    case 'create-table': return html`<${CreateTablePage} region=${region} />`
    case 'partiql': return html`<${PartiqlPage} region=${region} />`
    case 'triggers': return html`<${TriggersPage} region=${region} />`
    case 'backups': return html`<${DataPage} region=${region} />`
    case 'metrics': return html`<${MetricsPage} region=${region} />`
    default: return html`<h1>Not found</h1><p><a href="#/tables">Back to the tables</a></p>`
  }
}

const root = document.getElementById('app')
root.textContent = '' // the "Loading" line the page shows until this module runs
render(html`<${App} />`, root)
