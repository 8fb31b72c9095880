/**
 * Which document paths an update writes and a condition reads: for checks such as
 * "Cannot update attribute pk. This attribute is part of the key".
 */
import type { Condition, DocumentPath, Operand, UpdatePlan } from './ast.js'

/** The paths an update plan writes or removes, in plan order. */
export function updatePlanPaths(plan: UpdatePlan): DocumentPath[] {
  return plan.actions.map((action) => action.path)
}

/** Every path an update plan names: those it writes or removes and those its SET values read. */
export function updatePlanAllPaths(plan: UpdatePlan): DocumentPath[] {
  return plan.actions.flatMap((action) =>
    action.kind === 'SET' ? [action.path, ...operandPaths(action.value)] : [action.path])
}

/** The paths a condition reads. Recursion depth is bounded by the parser. */
export function conditionPaths(condition: Condition): DocumentPath[] {
  switch (condition.kind) {
    case 'and':
    case 'or': return [...conditionPaths(condition.left), ...conditionPaths(condition.right)]
    case 'not': return conditionPaths(condition.condition)
    case 'compare': return [...operandPaths(condition.left), ...operandPaths(condition.right)]
    case 'between': return [condition.operand, condition.low, condition.high].flatMap(operandPaths)
    case 'in': return [condition.operand, ...condition.candidates].flatMap(operandPaths)
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type': return condition.path.length > 0 ? [condition.path] : []
    case 'begins_with': return [...operandPaths(condition.operand), ...operandPaths(condition.prefix)]
    case 'contains': return [...operandPaths(condition.operand), ...operandPaths(condition.element)]
  }
}

function operandPaths(operand: Operand): DocumentPath[] {
  switch (operand.kind) {
    case 'path': return [operand.path]
    case 'value': return []
    case 'size': return operandPaths(operand.operand)
    case 'if_not_exists': return [operand.path, ...operandPaths(operand.fallback)]
    case 'list_append': return [...operandPaths(operand.left), ...operandPaths(operand.right)]
    case 'arithmetic': return [...operandPaths(operand.left), ...operandPaths(operand.right)]
  }
}
