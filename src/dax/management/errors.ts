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

export class TagNotFoundFault extends DaxFault {
  readonly type = 'TagNotFoundFault'
}

export class TagQuotaPerResourceExceeded extends DaxFault {
  readonly type = 'TagQuotaPerResourceExceeded'
}
