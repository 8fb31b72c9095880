/**
 * The region names a request may be signed for. AWS answers a credential scope naming any other
 * region with InvalidSignatureException ("Credential should be scoped to a valid region, not
 * 'us-east1'."), and so does EddyDB: a typo must not silently open a fresh, empty namespace.
 *
 * The list is AWS's public regions (from the AWS SDK's partition data, December 2026), plus
 * `localhost`, which local GUI tools sign with. Others are accepted with --regions, and any name
 * with --shared-regions.
 */
const awsRegionNames = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
  'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1',
  'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1',
  'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-gov-east-1', 'us-gov-west-1',
  'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1',
]

export const knownRegionNames: ReadonlySet<string> = new Set([...awsRegionNames, 'localhost'])

/**
 * Names that can become a storage file name: extra regions given with --regions must be
 * region-shaped too (no path separators, no upper case).
 */
export const regionNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/

/**
 * The partition a region's ARNs name (arn:PARTITION:service:region:account:resource): China's
 * regions are aws-cn, GovCloud's aws-us-gov, the European Sovereign Cloud's aws-eusc, the ISO
 * regions aws-iso, aws-iso-b, aws-iso-e and aws-iso-f (as the AWS SDK's partition data names
 * them); every other region, and `localhost`, aws.
 */
export function arnPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('eusc-')) return 'aws-eusc'
  const iso = /^[a-z]{2}-iso([a-z]?)-/.exec(region)
  if (iso === null) return 'aws'
  return iso[1] ? `aws-iso-${iso[1]}` : 'aws-iso'
}
