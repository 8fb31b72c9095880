/**
 * One region's DAX parameter groups. The default group `default.dax1.0` always exists, holds
 * DAX's defaults and cannot be changed or deleted. Groups live in memory with the server process.
 */
import {
  InvalidParameterGroupStateFault,
  InvalidParameterValueException,
  ParameterGroupAlreadyExistsFault,
  ParameterGroupNotFoundFault,
  ParameterGroupQuotaExceededFault,
  reservedGroupFault,
} from './errors.js'
import type { DaxEvents } from './events.js'
import { defaultParameterValues, validateParameterValue, type ParameterValues } from './parameters.js'
import type { ParameterNameValue } from './shapes.js'

export const defaultParameterGroupName = 'default.dax1.0'

/** DAX's default quota: 20 parameter groups per account and region. */
export const parameterGroupsPerRegionMax = 20

/** "You can modify up to 20 parameters in a single request" (UpdateParameterGroup reference). */
export const parameterChangesPerRequestMax = 20

export interface ParameterGroup {
  readonly name: string
  readonly description: string
  values: ParameterValues
}

export interface ParameterGroupDescription {
  ParameterGroupName: string
  Description: string
}

export function describeParameterGroup(group: ParameterGroup): ParameterGroupDescription {
  return { ParameterGroupName: group.name, Description: group.description }
}

export class ParameterGroups {
  readonly #groups = new Map<string, ParameterGroup>([
    [defaultParameterGroupName, {
      name: defaultParameterGroupName,
      description: 'Default parameter group for dax1.0',
      values: defaultParameterValues,
    }],
  ])
  readonly #events: DaxEvents

  constructor(events: DaxEvents) {
    this.#events = events
  }

  create(name: string, description: string | undefined): ParameterGroup {
    if (name.trim() === '') {
      throw new InvalidParameterValueException('The parameter ParameterGroupName must be provided and must not be blank.')
    }
    if (this.#groups.has(name)) throw new ParameterGroupAlreadyExistsFault(`Parameter group ${name} already exists.`)
    if (this.#groups.size >= parameterGroupsPerRegionMax) {
      throw new ParameterGroupQuotaExceededFault('You have attempted to exceed the maximum number of parameter groups.')
    }
    const group: ParameterGroup = { name, description: description ?? '', values: defaultParameterValues }
    this.#groups.set(name, group)
    this.#events.recordGroupChange('PARAMETER_GROUP', name, 'created')
    return group
  }

  get(name: string): ParameterGroup {
    const group = this.#groups.get(name)
    if (!group) throw new ParameterGroupNotFoundFault(`Parameter group ${name} not found.`)
    return group
  }

  list(names: readonly string[] | undefined): ParameterGroup[] {
    if (names === undefined || names.length === 0) return [...this.#groups.values()]
    return names.map((name) => this.get(name))
  }

  /** Applies every change or none: all values are checked before the group changes. */
  update(name: string, changes: readonly ParameterNameValue[]): ParameterGroup {
    const group = this.#modifiable(name)
    if (changes.length > parameterChangesPerRequestMax) {
      throw new InvalidParameterValueException(`You can modify up to ${parameterChangesPerRequestMax} parameters in a single request.`)
    }
    const values: Record<string, string> = { ...group.values }
    for (const change of changes) {
      values[change.ParameterName!] = validateParameterValue(change.ParameterName, change.ParameterValue)
    }
    group.values = values
    this.#events.recordGroupChange('PARAMETER_GROUP', name, 'updated')
    return group
  }

  /** `isInUse` says whether a cluster still uses the group; such a group cannot go. */
  delete(name: string, isInUse: (groupName: string) => boolean): void {
    this.#modifiable(name)
    if (isInUse(name)) {
      throw new InvalidParameterGroupStateFault(`Parameter group ${name} is in use by one or more clusters.`)
    }
    this.#groups.delete(name)
    this.#events.recordGroupChange('PARAMETER_GROUP', name, 'deleted')
  }

  #modifiable(name: string): ParameterGroup {
    if (name === defaultParameterGroupName) throw reservedGroupFault(name)
    return this.get(name)
  }
}
