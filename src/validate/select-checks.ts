/**
 * Select against the projection parameters of Query and Scan (checks that need no table).
 * DynamoDB reports these inside a "1 validation error detected: " envelope (Scan too since its
 * September 2026 rollout reached eu-west-2: the dynamodb-conformance suite); both say
 * "Querying" for ALL_PROJECTED_ATTRIBUTES (recorded against AWS).
 */
export interface SelectMembers {
  Select?: 'SPECIFIC_ATTRIBUTES' | 'COUNT' | 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES'
  IndexName?: string
  ProjectionExpression?: string
  AttributesToGet?: string[]
}

const selectionDescriptions = {
  ALL_ATTRIBUTES: 'ALL_ATTRIBUTES',
  ALL_PROJECTED_ATTRIBUTES: 'ALL_PROJECTED_ATTRIBUTES',
  COUNT: 'only the Count',
} as const

export function selectProblem(input: SelectMembers): string | undefined {
  const problem = bareSelectProblem(input)
  return problem === undefined ? undefined : `1 validation error detected: ${problem}`
}

function bareSelectProblem(input: SelectMembers): string | undefined {
  const select = input.Select
  if (select === undefined) return undefined
  if (select === 'SPECIFIC_ATTRIBUTES') {
    return input.ProjectionExpression === undefined && input.AttributesToGet === undefined
      ? 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'
      : undefined
  }
  if (input.AttributesToGet !== undefined) {
    return `Cannot specify the AttributesToGet when choosing to get ${selectionDescriptions[select]}`
  }
  if (input.ProjectionExpression !== undefined) {
    return `Cannot specify the ProjectionExpression when choosing to get ${selectionDescriptions[select]}`
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName === undefined) {
    return 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'
  }
  return undefined
}
