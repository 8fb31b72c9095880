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

/** What a useAction() came to: its error, or its success message. */
export function ActionOutcome({ action }) {
  return html`<${ErrorMessage} error=${action.error} /><${Notice} text=${action.notice} />`
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

/**
 * A user's action with its outcome: `run(action, success)` marks it busy, then keeps the error
 * it threw or its success message (text, or a function of the action's result).
 */
export function useAction() {
  const [state, setState] = useState({})
  const run = async (action, success) => {
    setState({ busy: true })
    try {
      const result = await action()
      setState({ notice: typeof success === 'function' ? success(result) : success })
    } catch (error) {
      setState({ error })
    }
  }
  return { ...state, run }
}

/** `load` now and every `ms` while mounted, keeping the last data and error; `reload()` loads at once. */
export function usePolling(load, ms, deps) {
  const [state, setState] = useState({})
  const [generation, setGeneration] = useState(0)
  useInterval(async () => {
    try {
      setState({ data: await load() })
    } catch (error) {
      setState((previous) => ({ ...previous, error }))
    }
  }, ms, [...deps, generation])
  return { ...state, reload: () => setGeneration((value) => value + 1) }
}

/** Epoch seconds (as DynamoDB's JSON sends times) → local date and time, to the second. */
export const formatTime = (seconds) => (seconds === undefined || seconds === null ? '' : new Date(seconds * 1000).toLocaleString(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
}))

/** Epoch seconds → the value of an <input type="datetime-local" step="1"> (local time). */
export function toLocalInput(seconds) {
  const date = new Date(Math.floor(seconds) * 1000)
  const pad = (value) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** An <input type="datetime-local"> value (local time) → epoch seconds. */
export const fromLocalInput = (value) => new Date(value).getTime() / 1000

/** The last part of an ARN: a backup's, export's or import's id. */
export const arnId = (arn) => arn?.split('/').pop() ?? ''

export function TableLink({ name }) {
  return html`<a href=${`#/tables/${encodeURIComponent(name)}`}>${name}</a>`
}
