/**
 * The directory of EddyDB's package.json, found by walking up from this module: the same answer
 * from the compiled tree (dist/src/) and from the bundle (dist/bundle/, scripts/bundle.mjs),
 * whose modules sit at different depths.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(): string {
  for (let directory = dirname(fileURLToPath(import.meta.url)); ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eddydb') return directory
    if (dirname(directory) === directory) throw new Error(`no package.json of eddydb above ${fileURLToPath(import.meta.url)}`)
  }
}

export const packageRoot: string = findPackageRoot()
