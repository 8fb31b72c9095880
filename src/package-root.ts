/**
 * The directory of EddyDB's package.json, found by walking up from this module: the same answer
 * from the compiled tree (dist/src/) and from the bundle (dist/bundle/, scripts/bundle.mjs),
 * whose modules sit at different depths.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface PackageManifest {
  name?: string
  version: string
}

function findPackage(): { root: string; manifest: PackageManifest } {
  for (let directory = dirname(fileURLToPath(import.meta.url)); ; directory = dirname(directory)) {
    const path = join(directory, 'package.json')
    const manifest = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as PackageManifest : undefined
    if (manifest?.name === 'eddydb') return { root: directory, manifest }
    if (dirname(directory) === directory) throw new Error(`no package.json of eddydb above ${fileURLToPath(import.meta.url)}`)
  }
}

const found = findPackage()
export const packageRoot: string = found.root
/** package.json as read while finding the root (read once). */
export const packageManifest: PackageManifest = found.manifest
