/**
 * What the console's tests share: loading a browser module of src/console/ui in Node, and
 * headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core. Browser downloads
 * are impossible here, so a machine without that Chromium skips the browser tests, saying why.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

export const chromiumPath = process.env.EDDYDB_CHROMIUM ?? '/usr/bin/chromium'

/** Why the browser tests cannot run here, or undefined when they can. */
export const browserSkipReason = existsSync(chromiumPath)
  ? undefined
  : `no Chromium at ${chromiumPath} (apt-get install chromium; .ci/run installs it)`

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] })
}

/** src/console/ui, from dist/test/console/. */
export const consoleUiDirectory = fileURLToPath(new URL('../../../src/console/ui/', import.meta.url))

/** A console module that needs no DOM (the signer), loaded as the browser loads it. */
export async function importConsoleModule<T>(name: string): Promise<T> {
  return await import(pathToFileURL(`${consoleUiDirectory}${name}`).href) as T
}

/** The most any wait for something on screen polls: a bound on work, not a timing check. */
export const waitBoundMs = 60_000

/** Where EDDYDB_CONSOLE_SCREENSHOTS asks the screenshots docs/console.md shows to be written. */
export const screenshotDirectory = process.env.EDDYDB_CONSOLE_SCREENSHOTS

/** A page at 1280×800 with bounded waits; uncaught errors in it are collected in `errors`. */
export async function openConsolePage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.setDefaultTimeout(waitBoundMs)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  return { page, errors }
}

/** Writes `<name>.png` when screenshots were asked for. */
export async function screenshotOf(page: Page, name: string, fullPage = false): Promise<void> {
  if (!screenshotDirectory) return
  mkdirSync(screenshotDirectory, { recursive: true })
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage })
}
