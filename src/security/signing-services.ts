/**
 * The SigV4 service name each JSON API is signed for, by X-Amz-Target prefix. DynamoDB Streams
 * is signed as 'dynamodb' (its SDK's signing name), the DAX management API as 'dax'. A request
 * scoped to another service is refused, as AWS does.
 */
const servicesByTargetPrefix: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodb',
  AmazonDAXV3: 'dax',
  Kinesis_20131202: 'kinesis',
}

export function signingServiceOf(target: string): string {
  const prefix = target.slice(0, target.indexOf('.'))
  return Object.hasOwn(servicesByTargetPrefix, prefix) ? servicesByTargetPrefix[prefix]! : 'dynamodb'
}
