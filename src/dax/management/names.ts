/**
 * DAX's rules for the identifiers a client chooses: cluster names and the IAM role ARN. The
 * messages are the ones DAX sends (recorded by moto's tests against the service).
 */
import { InvalidParameterValueException } from './errors.js'

/** "A name must contain from 1 to 20 alphanumeric characters or hyphens." (CreateCluster reference) */
export const clusterNameLengthMax = 20

const invalidClusterName =
  'Cluster ID specified is not a valid identifier. Identifiers must begin with a letter; must contain only ' +
  'ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.'

/**
 * Returns the cluster name as DAX stores it. DAX quirk: "This parameter is stored as a lowercase
 * string", so 'MyCluster' and 'mycluster' are the same cluster.
 */
export function normalizeClusterName(name: string): string {
  const validShape = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/.test(name) && !name.endsWith('-')
  if (!validShape || name.length > clusterNameLengthMax) {
    throw new InvalidParameterValueException(invalidClusterName)
  }
  return name.toLowerCase()
}

/** DAX checks an ARN's colon-separated sections in order and names the first one missing. */
export function validateIamRoleArn(arn: string): void {
  if (!arn.startsWith('arn:')) throw new InvalidParameterValueException(`ARNs must start with 'arn:': ${arn}`)
  const sections = arn.split(':').length
  const missing = [
    'Second colon partition not found',
    'Third colon vendor not found',
    'Fourth colon (region/namespace delimiter) not found',
    'Fifth colon (namespace/relative-id delimiter) not found',
  ][sections - 2]
  if (missing !== undefined) throw new InvalidParameterValueException(`${missing}: ${arn}`)
}
