/** The package's version, from package.json. */
import { packageManifest } from './package-root.js'

export const version: string = packageManifest.version
