/**
 * One region's DAX subnet groups, stored and echoed: there is no VPC here, so a group changes
 * nothing about where nodes run. It is a name a cluster reports (Cluster.SubnetGroup), which
 * CreateCluster must find and DeleteSubnetGroup refuses to remove while a cluster uses it.
 *
 * Every subnet is made up. All belong to one local VPC whose id is all zeros, plainly not one of
 * AWS's, and each is placed in one of the zones our nodes report (<region>a, b or c), picked from
 * its id, so a subnet reports the same zone in every group and after every update. Each supports
 * IPv4 only, as our nodes listen on it.
 *
 * As in DAX, the group `default` always exists, clusters created without SubnetGroupName report
 * it, and it cannot be changed or deleted. Names are stored in lower case ("This value is stored
 * as a lowercase string", CreateSubnetGroup reference) and found whatever their case.
 */
import {
  InvalidParameterValueException,
  InvalidSubnet,
  reservedGroupFault,
  SubnetGroupAlreadyExistsFault,
  SubnetGroupInUseFault,
  SubnetGroupNotFoundFault,
  SubnetGroupQuotaExceededFault,
  SubnetQuotaExceededFault,
} from './errors.js'
import type { DaxEvents } from './events.js'
import { zoneSuffixes } from './node-launcher.js'
import type { SubnetGroupInput } from './shapes.js'

export const defaultSubnetGroupName = 'default'

/**
 * "You can create up to 50 DAX subnet groups per Region. Within a subnet group, you can define up
 * to 20 subnets." (DynamoDB developer guide, quotas). The default group is not one you created,
 * so it does not count.
 */
export const subnetGroupsPerRegionMax = 50
export const subnetsPerSubnetGroupMax = 20

export const localVpcId = 'vpc-00000000000000000'

/**
 * EC2 subnet ids are 'subnet-' and 8 or 17 hex digits. We refuse only what cannot be one at all,
 * so that ids made up for local use ('subnet-private1') still work.
 */
const subnetIdPattern = /^subnet-[A-Za-z0-9]+$/

interface Subnet {
  readonly id: string
  readonly availabilityZone: string
}

export interface SubnetGroup {
  readonly name: string
  description?: string
  subnets: Subnet[]
}

type NetworkType = 'ipv4'
const supportedNetworkTypes: NetworkType[] = ['ipv4']

export interface SubnetGroupDescription {
  SubnetGroupName: string
  Description?: string
  VpcId: string
  Subnets: { SubnetIdentifier: string; SubnetAvailabilityZone: string; SupportedNetworkTypes: NetworkType[] }[]
  SupportedNetworkTypes: NetworkType[]
}

/** The SubnetGroup structure; a group created without a Description has none, as in DAX. */
export function describeSubnetGroup(group: SubnetGroup): SubnetGroupDescription {
  return {
    SubnetGroupName: group.name,
    ...(group.description !== undefined && { Description: group.description }),
    VpcId: localVpcId,
    Subnets: group.subnets.map((subnet) => ({
      SubnetIdentifier: subnet.id,
      SubnetAvailabilityZone: subnet.availabilityZone,
      SupportedNetworkTypes: supportedNetworkTypes,
    })),
    SupportedNetworkTypes: supportedNetworkTypes,
  }
}

export class SubnetGroups {
  readonly #groups = new Map<string, SubnetGroup>()
  readonly #region: string
  readonly #events: DaxEvents

  constructor(region: string, events: DaxEvents) {
    this.#region = region
    this.#events = events
    // One subnet per zone, like a default VPC's default subnets: subnet-0000000000000000a, b, c.
    this.#groups.set(defaultSubnetGroupName, {
      name: defaultSubnetGroupName,
      description: 'Default DAX subnet group',
      subnets: [...zoneSuffixes].map((suffix) => ({ id: `subnet-${suffix.padStart(17, '0')}`, availabilityZone: `${region}${suffix}` })),
    })
  }

  create(input: SubnetGroupInput & { SubnetIds: string[] }): SubnetGroup {
    if (input.SubnetGroupName.trim() === '') {
      throw new InvalidParameterValueException('The parameter SubnetGroupName must be provided and must not be blank.')
    }
    const name = input.SubnetGroupName.toLowerCase()
    if (this.#groups.has(name)) throw new SubnetGroupAlreadyExistsFault(`Subnet group ${name} already exists.`)
    if (this.#groups.size - 1 >= subnetGroupsPerRegionMax) {
      throw new SubnetGroupQuotaExceededFault('You have attempted to exceed the maximum number of subnet groups.')
    }
    const group: SubnetGroup = { name, description: input.Description, subnets: this.#subnetsOf(input.SubnetIds) }
    this.#groups.set(name, group)
    this.#events.recordGroupChange('SUBNET_GROUP', name, 'created')
    return group
  }

  get(name: string): SubnetGroup {
    const group = this.#groups.get(name.toLowerCase())
    if (!group) throw new SubnetGroupNotFoundFault(`Subnet group ${name} not found.`)
    return group
  }

  list(names: readonly string[] | undefined): SubnetGroup[] {
    if (names === undefined || names.length === 0) return [...this.#groups.values()]
    return names.map((name) => this.get(name))
  }

  /** The members given replace the group's; the subnets are checked before anything changes. */
  update(input: SubnetGroupInput): SubnetGroup {
    const group = this.#modifiable(input.SubnetGroupName)
    const subnets = input.SubnetIds === undefined ? group.subnets : this.#subnetsOf(input.SubnetIds)
    if (input.Description !== undefined) group.description = input.Description
    group.subnets = subnets
    this.#events.recordGroupChange('SUBNET_GROUP', group.name, 'updated')
    return group
  }

  /** `isInUse` says whether a cluster still uses the group; such a group cannot go. */
  delete(name: string, isInUse: (groupName: string) => boolean): void {
    const group = this.#modifiable(name)
    if (isInUse(group.name)) {
      throw new SubnetGroupInUseFault(`Subnet group ${group.name} is currently in use by a cluster.`)
    }
    this.#groups.delete(group.name)
    this.#events.recordGroupChange('SUBNET_GROUP', group.name, 'deleted')
  }

  #modifiable(name: string): SubnetGroup {
    if (name.toLowerCase() === defaultSubnetGroupName) throw reservedGroupFault(defaultSubnetGroupName)
    return this.get(name)
  }

  /** A repeated id counts once. */
  #subnetsOf(subnetIds: readonly string[]): Subnet[] {
    const ids = [...new Set(subnetIds)]
    // RDS's words for the same mistake; DAX's are not published.
    if (ids.length === 0) throw new InvalidSubnet('Subnet IDs are required.')
    const malformed = ids.find((id) => !subnetIdPattern.test(id))
    if (malformed !== undefined) throw new InvalidSubnet(`The subnet ID ${malformed} is not valid.`)
    if (ids.length > subnetsPerSubnetGroupMax) {
      throw new SubnetQuotaExceededFault(`A subnet group may have at most ${subnetsPerSubnetGroupMax} subnets.`)
    }
    return ids.map((id) => ({ id, availabilityZone: `${this.#region}${zoneSuffixOf(id)}` }))
  }
}

/** A made-up subnet's zone: the same id, the same zone. */
function zoneSuffixOf(subnetId: string): string {
  let sum = 0
  for (let index = 0; index < subnetId.length; index++) sum += subnetId.charCodeAt(index)
  return zoneSuffixes[sum % zoneSuffixes.length]!
}
