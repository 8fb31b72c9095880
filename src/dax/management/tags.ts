/**
 * Tags of DAX clusters: CreateCluster's Tags, TagResource, UntagResource and ListTags, which
 * infrastructure tools (Terraform's aws_dax_cluster) call after creating a cluster. A resource is
 * named by the cluster's ARN. As DAX documents: at most 50 tags a cluster, a key set again takes
 * the new value, and every call answers with the cluster's tags as they then are.
 */
import type { OperationHandler, RequestContext } from '../../api/context.js'
import type { DaxCluster } from './cluster.js'
import type { DaxClusters } from './clusters.js'
import { ClusterNotFoundFault, InvalidARNFault, TagNotFoundFault, TagQuotaPerResourceExceeded } from './errors.js'
import { validateDaxInput, type TagInput } from './shapes.js'

/** DAX's limit on the tags of one cluster. */
const tagsPerClusterMax = 50

const clusterArnPattern = /^arn:[a-z-]+:dax:[a-z0-9-]+:\d{12}:cache\/[A-Za-z0-9-]+$/

export function tagOperations(clusters: DaxClusters): Record<string, OperationHandler<unknown>> {
  return {
    TagResource: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<{ ResourceName: string; Tags: TagInput[] }>('TagResource', body)
      const cluster = clusterNamed(clusters, ctx, input.ResourceName)
      setTags(cluster, input.Tags)
      return { Tags: tagList(cluster) }
    },
    UntagResource: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<{ ResourceName: string; TagKeys: string[] }>('UntagResource', body)
      const cluster = clusterNamed(clusters, ctx, input.ResourceName)
      const missing = input.TagKeys.find((key) => !cluster.tags.has(key))
      if (missing !== undefined) throw new TagNotFoundFault(`The tag ${missing} does not exist on ${input.ResourceName}.`)
      for (const key of input.TagKeys) cluster.tags.delete(key)
      return { Tags: tagList(cluster) }
    },
    ListTags: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<{ ResourceName: string }>('ListTags', body)
      return { Tags: tagList(clusterNamed(clusters, ctx, input.ResourceName)) }
    },
  }
}

/** Adds or replaces tags; the cluster keeps none of them if they would pass the limit. */
export function setTags(cluster: DaxCluster, tags: readonly TagInput[]): void {
  const keys = new Set([...cluster.tags.keys(), ...tags.map((tag) => tag.Key ?? '')])
  if (keys.size > tagsPerClusterMax) {
    throw new TagQuotaPerResourceExceeded(`A cluster may have at most ${tagsPerClusterMax} tags.`)
  }
  for (const tag of tags) cluster.tags.set(tag.Key ?? '', tag.Value)
}

function tagList(cluster: DaxCluster): TagInput[] {
  return [...cluster.tags].map(([Key, Value]) => (Value === undefined ? { Key } : { Key, Value }))
}

/** The cluster a ResourceName (its ARN) names, in the caller's region. */
function clusterNamed(clusters: DaxClusters, ctx: RequestContext, resourceName: string): DaxCluster {
  if (!clusterArnPattern.test(resourceName)) throw new InvalidARNFault(`Invalid ARN: ${resourceName}`)
  const cluster = [...clusters.clusters(ctx.region).values()].find((each) => each.identity.arn === resourceName)
  if (cluster === undefined) throw new ClusterNotFoundFault()
  return cluster
}
