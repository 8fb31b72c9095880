// Small pieces every page uses: loading data, showing errors, a confirm dialog.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'

/** Runs `load` when `deps` change; `reload()` runs it again. */
export function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true })
  const generation = useRef(0)
  const run = useCallback(() => {
    const mine = ++generation.current
    setState((previous) => ({ ...previous, loading: true }))
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error) => mine === generation.current && setState({ error, loading: false }),
    )
  }, deps)
  useEffect(run, [run])
  return { ...state, reload: run }
}

/** Calls `tick` every `ms` while mounted (and once at once). */
export function useInterval(tick, ms, deps = []) {
  useEffect(() => {
    let stopped = false
    let timer
    const loop = async () => {
      try { await tick() } catch { /* the page shows its own errors */ }
      if (!stopped) timer = setTimeout(loop, ms)
    }
    loop()
    return () => { stopped = true; clearTimeout(timer) }
  }, deps)
}

export function ErrorMessage({ error }) {
  if (!error) return null
  return html`<div class="error" role="alert"><strong>${error.type ?? 'Error'}</strong>${error.message && error.message !== error.type ? `: ${error.message}` : ''}</div>`
}

export function Notice({ text }) {
  return text ? html`<div class="notice" role="status">${text}</div>` : null
}

/** A modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function Dialog({ title, onClose, children, wide }) {
  const ref = useRef()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog.open) dialog.showModal()
    const closed = () => onClose()
    dialog.addEventListener('close', closed)
    return () => dialog.removeEventListener('close', closed)
  }, [])
  return html`<dialog ref=${ref} class=${wide ? 'wide' : ''} aria-label=${title}>
    <header><h2>${title}</h2><button type="button" class="icon" aria-label="Close" onClick=${() => ref.current.close()}>×</button></header>
    ${children}
  </dialog>`
}

/** "Are you sure?" with the action's own words on the button. */
export function ConfirmDialog({ title, message, action, onConfirm, onClose }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState()
  const confirm = async () => {
    setBusy(true)
    try {
      await onConfirm()
      onClose()
    } catch (caught) {
      setError(caught)
      setBusy(false)
    }
  }
  return html`<${Dialog} title=${title} onClose=${onClose}>
    <p>${message}</p>
    <${ErrorMessage} error=${error} />
    <div class="actions">
      <button type="button" onClick=${onClose}>Cancel</button>
      <button type="button" class="danger" disabled=${busy} onClick=${confirm}>${action}</button>
    </div>
  <//>`
}

export const formatBytes = (bytes) => {
  if (bytes === undefined || bytes === null) return ''
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export const navigate = (path) => { location.hash = `#/${path}` }
