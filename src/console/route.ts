/**
 * Serves the web console at /console/: the browser code in src/console/ui/ (plain ES modules and
 * CSS, not compiled by tsc, shipped in the package as source) and the libraries it imports
 * (preact, htm, uPlot) straight from their installed packages under /console/vendor/. Nothing
 * comes from the internet. The console has no private API: it signs requests to the same
 * endpoints any client uses.
 */
import { readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, extname, join } from 'node:path'
import type { PathRoute, RestReply } from '../http/server.js'
import { packageRoot } from '../package-root.js'

export const consolePath = '/console'

/** src/console/ui, from dist/src/console/ (built) — the .js files there are served as they are. */
const uiDirectory = join(packageRoot, 'src', 'console', 'ui')

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/**
 * The vendor files the import map in index.html names, from the installed packages: their ES
 * module builds, found beside the file each package's main entry resolves to. (Not by
 * import.meta.resolve, which the CommonJS bundle does not have; scripts/bundle.mjs.)
 */
function vendorFiles(): Record<string, string> {
  const require = createRequire(join(packageRoot, 'package.json'))
  const besideEntry = (specifier: string, file: string) => join(dirname(require.resolve(specifier)), file)
  return {
    'preact.mjs': besideEntry('preact', 'preact.mjs'),
    'hooks.mjs': besideEntry('preact/hooks', 'hooks.mjs'),
    'htm.mjs': besideEntry('htm', 'htm.mjs'),
    'uPlot.esm.js': besideEntry('uplot', 'uPlot.esm.js'),
    'uPlot.min.css': besideEntry('uplot', 'uPlot.min.css'),
  }
}

/** URL path under /console/ → file on disk. Only listed files are served: no path is ever joined from a request. */
async function servedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const walk = async (directory: string, prefix: string) => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(directory, entry.name), `${prefix}${entry.name}/`)
      else if (contentTypes[extname(entry.name)]) files.set(`${prefix}${entry.name}`, join(directory, entry.name))
    }
  }
  await walk(uiDirectory, '')
  for (const [name, path] of Object.entries(vendorFiles())) files.set(`vendor/${name}`, path)
  return files
}

export function consoleRoute(): PathRoute {
  let files: Promise<Map<string, string>> | undefined
  return {
    prefix: consolePath,
    async handle(request): Promise<RestReply> {
      if (request.path === consolePath) return { status: 302, headers: { Location: `${consolePath}/`, 'Content-Type': 'text/plain' } }
      if (!request.path.startsWith(`${consolePath}/`)) return notFound(request.path)
      if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, headers: { Allow: 'GET', 'Content-Type': 'text/plain' } }
      files ??= servedFiles()
      const name = request.path.slice(consolePath.length + 1) || 'index.html'
      const path = (await files).get(name)
      if (!path) return notFound(request.path)
      return {
        status: 200,
        // The console is small and local: always revalidate, so an upgraded server never runs stale code.
        headers: { 'Content-Type': contentTypes[extname(path)]!, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' },
        body: await readFile(path, 'utf8'),
      }
    },
  }
}

function notFound(path: string): RestReply {
  return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `Not found: ${path}\n` }
}

/** Whether the console is served: as configured, else only when the server listens on loopback. */
export function consoleEnabled(setting: boolean | undefined, host: string): boolean {
  return setting ?? (host === 'localhost' || host === '::1' || host.startsWith('127.'))
}
