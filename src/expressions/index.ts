/**
 * The expression engine: parse -> resolve -> validate -> evaluate, for ConditionExpression,
 * FilterExpression, KeyConditionExpression, ProjectionExpression and UpdateExpression, and
 * the legacy parameters converted to the same trees.
 */
export type {
  Comparator, Condition, DocumentPath, Operand, Projection, UpdateAction, UpdatePlan,
} from './ast.js'
export {
  compileExpressions, type CompiledExpressions, type ExpressionParameter, type ExpressionParameters,
} from './compile.js'
export { evaluateCondition } from './condition.js'
export { topLevelAttributes, valueAtPath } from './document-path.js'
export {
  keyConditionFromCondition, matchKeyCondition,
  type KeyAttributeCondition, type KeyAttributeNames, type KeyCondition, type KeyMatch, type SortKeyCondition,
} from './key-condition.js'
export { conditionFromExpected, conditionFromFilter, keyConditionFromKeyConditions } from './legacy-condition.js'
export { projectionFromAttributesToGet, updateFromAttributeUpdates } from './legacy-update.js'
export { applyProjection, projectPaths } from './projection.js'
export { isReservedWord } from './reserved-words.js'
export { applyUpdate, createsMissingItem, type ApplyUpdateOptions, type UpdateResult } from './update.js'
export { conditionPaths, updatePlanAllPaths, updatePlanPaths } from './paths.js'
