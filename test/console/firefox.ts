/**
 * Firefox for the console's tests: Debian's firefox-esr, headless, driven over WebDriver BiDi
 * (the W3C protocol every current Firefox speaks). playwright-core's own Firefox needs a patched
 * build that cannot be downloaded here, and its BiDi mode sends commands that Firefox ESR does
 * not know yet, so this speaks the few BiDi commands the tests need itself: open a page, run
 * JavaScript in it. What the page is asked to do goes through `window.__user` (below), which acts
 * as a user would (finds controls by their label, types, clicks).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitBoundMs } from './browser.js'

export const firefoxPath = process.env.EDDYDB_FIREFOX ?? '/usr/bin/firefox-esr'

/** Why the Firefox tests cannot run here, or undefined when they can. */
export const firefoxSkipReason = existsSync(firefoxPath)
  ? undefined
  : `no Firefox at ${firefoxPath} (apt-get install firefox-esr; .ci/run installs it)`

interface BidiSocket {
  send(text: string): void
  close(): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'open' | 'error' | 'close', listener: (event: unknown) => void): void
}
type BidiSocketConstructor = new (url: string) => BidiSocket

/** Node 20 has WebSocket only behind a flag; playwright-core ships the `ws` package. */
function webSocketConstructor(): BidiSocketConstructor {
  const global = (globalThis as { WebSocket?: BidiSocketConstructor }).WebSocket
  if (global) return global
  const require = createRequire(import.meta.url)
  return (require('playwright-core/lib/utilsBundle') as { ws: BidiSocketConstructor }).ws
}

export interface FirefoxPage {
  /** Runs `expression` in the page (awaiting a promise it gives) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>
  navigate(url: string): Promise<void>
  close(): Promise<void>
}

/** Starts headless Firefox with a throwaway profile and opens one page of 1280×800. */
export async function openFirefoxPage(): Promise<FirefoxPage> {
  const profile = mkdtempSync(join(tmpdir(), 'eddydb-firefox-'))
  const child = spawn(firefoxPath, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0'], {
    // Firefox refuses a HOME it does not own (CI runs as root with another HOME).
    env: { ...process.env, HOME: profile, MOZ_CRASHREPORTER_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const endpoint = await bidiEndpointOf(child)
    const session = await connect(`${endpoint}/session`)
    await session.command('session.new', { capabilities: {} })
    const { contexts } = await session.command('browsingContext.getTree', {}) as { contexts: Array<{ context: string }> }
    const context = contexts[0]!.context
    await session.command('browsingContext.setViewport', { context, viewport: { width: 1280, height: 800 } })
    // In every document, before its own scripts: the user driver and a record of uncaught errors.
    await session.command('script.addPreloadScript', { functionDeclaration: `() => { ${pagePreload} }` })
    return {
      async evaluate<T>(expression: string): Promise<T> {
        const answer = await session.command('script.evaluate', {
          expression: `(async () => JSON.stringify(await (${expression})))()`,
          target: { context }, awaitPromise: true, resultOwnership: 'none',
        }) as { type: string; result?: { type: string; value?: string }; exceptionDetails?: { text: string } }
        if (answer.type === 'exception') throw new Error(`in Firefox: ${answer.exceptionDetails?.text}`)
        const json = answer.result?.value
        return (json === undefined ? undefined : JSON.parse(json)) as T
      },
      async navigate(url: string): Promise<void> {
        await session.command('browsingContext.navigate', { context, url, wait: 'complete' })
      },
      async close(): Promise<void> {
        session.close()
        await stop(child)
        rmSync(profile, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stop(child)
    rmSync(profile, { recursive: true, force: true })
    throw error
  }
}

/** Firefox prints where BiDi listens on stderr once it is ready. */
function bidiEndpointOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output)
      if (match) {
        child.stderr!.off('data', onData)
        child.stderr!.resume()
        resolve(match[1]!)
      }
    }
    child.stdout!.resume()
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before BiDi was ready: ${output.slice(-2000)}`)))
  })
}

interface BidiSession {
  command(method: string, params: object): Promise<unknown>
  close(): void
}

async function connect(url: string): Promise<BidiSession> {
  const socket = new (webSocketConstructor())(url)
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve)
    socket.addEventListener('error', reject)
  })
  let nextId = 1
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; type: string; result?: unknown; error?: string; message?: string }
    const waiter = message.id === undefined ? undefined : pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id!)
    if (message.type === 'error') waiter.reject(new Error(`BiDi ${message.error}: ${message.message}`))
    else waiter.resolve(message.result)
  })
  return {
    command(method, params) {
      const id = nextId++
      socket.send(JSON.stringify({ id, method, params }))
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
    },
    close: () => socket.close(),
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(forced)
}

/**
 * What a user does on the page, as JavaScript the page runs (`window.__user`): controls are found
 * by their accessible label (aria-label, or a <label> element's own text; the last match, as a
 * newly added row is), buttons and links by their text, and typing fires the input events the
 * console's components listen for. `window.__errors` collects the page's uncaught errors.
 */
const pagePreload = `
  window.__errors = []
  addEventListener('error', (event) => window.__errors.push(String(event.message)))
  addEventListener('unhandledrejection', (event) => window.__errors.push(String(event.reason)))
  window.__user = {
    labelled(text, root = document) {
      const found = [...root.querySelectorAll('[aria-label]')].filter((element) =>
        element.getAttribute('aria-label') === text && element.tagName !== 'DIALOG')
      for (const label of root.querySelectorAll('label')) {
        const own = [...label.childNodes].filter((node) => node.nodeType === 3).map((node) => node.textContent).join('').trim()
        if (own === text && label.control) found.push(label.control)
      }
      return found.at(-1) ?? null
    },
    clickable(text, root = document) {
      return [...root.querySelectorAll('button, a')].find((element) =>
        element.getAttribute('aria-label') === text || element.textContent.trim() === text) ?? null
    },
    fill(label, value, root) {
      const control = this.labelled(label, root)
      if (!control) throw new Error('no control labelled ' + label)
      control.focus()
      control.value = value
      control.dispatchEvent(new Event('input', { bubbles: true }))
      control.dispatchEvent(new Event('change', { bubbles: true }))
    },
    click(text, root) {
      const element = this.clickable(text, root)
      if (!element) throw new Error('nothing to click named ' + text)
      element.click()
    },
    submit(label) { this.labelled(label).form.requestSubmit() },
    dialog(name) {
      return [...document.querySelectorAll('dialog')].find((element) => element.open && element.getAttribute('aria-label') === name) ?? null
    },
    rowWith(...texts) {
      return [...document.querySelectorAll('tbody tr')].find((row) => texts.every((text) => row.innerText.includes(text))) ?? null
    },
    shows(text) { return document.body.innerText.includes(text) },
  }
`

/** Polls `expression` in the page until it is truthy; the bound is on attempts, not a timing check. */
export async function until(page: FirefoxPage, expression: string, what: string): Promise<void> {
  const pollMs = 100
  for (let attempt = 0; attempt < waitBoundMs / pollMs; attempt++) {
    if (await page.evaluate<boolean>(expression)) return
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  const screen = await page.evaluate<string>('document.body.innerText.slice(0, 2000)')
  throw new Error(`never saw: ${what}; the page shows:\n${screen}\nuncaught errors: ${await page.evaluate<string>('window.__errors.join("; ")')}`)
}
