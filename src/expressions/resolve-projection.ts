/**
 * Resolves a parsed ProjectionExpression: reserved words, then undefined #names, then
 * overlapping and conflicting paths.
 */
import type { Projection, ParsedPath } from './ast.js'
import { checkPathClashes, Placeholders, ProblemCollector, resolvePath } from './resolve.js'

type ProjectionProblemKind = 'reserved' | 'undefinedName' | 'overlap' | 'conflict'

export function resolveProjection(parsed: ParsedPath[], placeholders: Placeholders): Projection {
  const problems = new ProblemCollector<ProjectionProblemKind>(['reserved', 'undefinedName', 'overlap', 'conflict'])
  const paths = parsed.map((path) => resolvePath(path, placeholders, (kind, message) => problems.report(kind, message)))
  checkPathClashes(paths, problems, 'overlap', 'conflict')
  problems.throwFirst()
  return { paths }
}
