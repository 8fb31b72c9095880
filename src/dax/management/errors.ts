/**
 * The faults of the DAX management API (AmazonDAXV3). They travel through the same reply path as
 * DynamoDB's errors, so each is a DynamoError with DAX's own `__type` name. The namespace is our
 * best reading of DAX's Coral model (`com.amazonaws.dax`, API 2017-04-19); the AWS SDKs keep only
 * the part after '#', so clients match on the fault name alone.
 */
import { DynamoError } from '../../errors.js'

const daxNamespace = 'com.amazonaws.dax.v20170419'

abstract class DaxFault extends DynamoError {
  override readonly namespace = daxNamespace
}

export class ClusterAlreadyExistsFault extends DaxFault {
  readonly type = 'ClusterAlreadyExistsFault'
}

export class ClusterNotFoundFault extends DaxFault {
  readonly type = 'ClusterNotFoundFault'
  /**
   * DAX quirk: DescribeClusters names the cluster ("Cluster x not found."), while DeleteCluster
   * and the other cluster operations do not ("Cluster not found.").
   */
  constructor(clusterName?: string) {
    super(clusterName === undefined ? 'Cluster not found.' : `Cluster ${clusterName} not found.`)
  }
}

export class ClusterQuotaForCustomerExceededFault extends DaxFault {
  readonly type = 'ClusterQuotaForCustomerExceededFault'
}

export class InsufficientClusterCapacityFault extends DaxFault {
  readonly type = 'InsufficientClusterCapacityFault'
}

export class InvalidARNFault extends DaxFault {
  readonly type = 'InvalidARNFault'
}

export class InvalidClusterStateFault extends DaxFault {
  readonly type = 'InvalidClusterStateFault'
}

export class InvalidParameterCombinationException extends DaxFault {
  readonly type = 'InvalidParameterCombinationException'
}

export class InvalidParameterGroupStateFault extends DaxFault {
  readonly type = 'InvalidParameterGroupStateFault'
}

export class InvalidParameterValueException extends DaxFault {
  readonly type = 'InvalidParameterValueException'
}

/**
 * DAX's answer to changing or deleting its default subnet group, "default is reserved and cannot
 * be modified." (recorded by aws-nuke, rebuy-de/aws-nuke#313). It is not in the operations'
 * modelled errors, yet DAX sends it; we assume the default parameter group is guarded the same way.
 */
export function reservedGroupFault(groupName: string): InvalidParameterValueException {
  return new InvalidParameterValueException(`${groupName} is reserved and cannot be modified.`)
}

export class InvalidSubnet extends DaxFault {
  readonly type = 'InvalidSubnet'
}

export class NodeNotFoundFault extends DaxFault {
  readonly type = 'NodeNotFoundFault'
}

export class NodeQuotaForClusterExceededFault extends DaxFault {
  readonly type = 'NodeQuotaForClusterExceededFault'
}

export class NodeQuotaForCustomerExceededFault extends DaxFault {
  readonly type = 'NodeQuotaForCustomerExceededFault'
}

export class ParameterGroupAlreadyExistsFault extends DaxFault {
  readonly type = 'ParameterGroupAlreadyExistsFault'
}

export class ParameterGroupNotFoundFault extends DaxFault {
  readonly type = 'ParameterGroupNotFoundFault'
}

export class ParameterGroupQuotaExceededFault extends DaxFault {
  readonly type = 'ParameterGroupQuotaExceededFault'
}

export class SubnetGroupAlreadyExistsFault extends DaxFault {
  readonly type = 'SubnetGroupAlreadyExistsFault'
}

export class SubnetGroupInUseFault extends DaxFault {
  readonly type = 'SubnetGroupInUseFault'
}

export class SubnetGroupNotFoundFault extends DaxFault {
  readonly type = 'SubnetGroupNotFoundFault'
}

export class SubnetGroupQuotaExceededFault extends DaxFault {
  readonly type = 'SubnetGroupQuotaExceededFault'
}

export class SubnetQuotaExceededFault extends DaxFault {
  readonly type = 'SubnetQuotaExceededFault'
}

export class TagNotFoundFault extends DaxFault {
  readonly type = 'TagNotFoundFault'
}

export class TagQuotaPerResourceExceeded extends DaxFault {
  readonly type = 'TagQuotaPerResourceExceeded'
}
