/**
 * The legacy update and projection parameters: AttributeUpdates (-> update plan) and
 * AttributesToGet (-> projection).
 */
import { ValidationException } from '../errors.js'
import { attributeValueProblem } from '../values/attribute-value.js'
import type { AttributeValue } from '../values/types.js'
import { typeOf } from '../values/types.js'
import type { Projection, UpdateAction, UpdatePlan } from './ast.js'

const invalid = 'One or more parameter values were invalid: '
const setTypes = new Set(['SS', 'NS', 'BS'])

/** AttributeUpdates: each attribute gets PUT (the default), ADD or DELETE. */
export function updateFromAttributeUpdates(updates: Record<string, unknown>): UpdatePlan {
  const actions = Object.entries(updates).map(([attribute, update]) => {
    const entry = (typeof update === 'object' && update !== null ? update : {}) as Record<string, unknown>
    const { Action: action = 'PUT', Value: value } = entry
    return attributeUpdate(attribute, String(action), value)
  })
  return { actions, legacy: true }
}

function attributeUpdate(attribute: string, action: string, rawValue: unknown): UpdateAction {
  const path = [attribute]
  if (rawValue === undefined) {
    if (action !== 'DELETE') {
      throw new ValidationException(`${invalid}Only DELETE action is allowed when no attribute value is specified`)
    }
    return { kind: 'REMOVE', path }
  }
  const problem = attributeValueProblem(rawValue)
  if (problem !== undefined) throw new ValidationException(problem)
  const value = rawValue as AttributeValue
  const type = typeOf(value)
  switch (action) {
    case 'PUT':
      return { kind: 'SET', path, value: { kind: 'value', value } }
    case 'ADD':
      // Lists too: ADD appends to a list (DynamoDB does, though only numbers and sets are documented).
      if (type !== 'N' && type !== 'L' && !setTypes.has(type)) {
        throw new ValidationException(`${invalid}ADD action is not supported for the type ${type}`)
      }
      return { kind: 'ADD', path, value }
    case 'DELETE':
      if (!setTypes.has(type)) {
        throw new ValidationException(`${invalid}DELETE action with value is not supported for the type ${type}`)
      }
      return { kind: 'DELETE', path, value }
    default:
      throw new ValidationException(`${invalid}Unsupported action: ${action}`)
  }
}

/** AttributesToGet: top-level attribute names. */
export function projectionFromAttributesToGet(names: string[]): Projection {
  return { paths: names.map((name) => [name]) }
}
