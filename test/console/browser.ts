/**
 * What the console's tests share: loading a browser module of src/console/ui in Node, and
 * headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core. Browser downloads
 * are impossible here, so a machine without that Chromium skips the browser tests, saying why.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

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
