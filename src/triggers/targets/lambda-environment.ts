/**
 * The environment Lambda gives a function, pointed at this server: AWS_REGION is the mapping's
 * region, and the DynamoDB (and Streams) endpoint variables name this server, so a handler's
 * `new DynamoDBClient({})` writes back into EddyDB whatever port it runs on, while its clients
 * of other services still reach AWS. Placeholder credentials are set only when the server has
 * none, so that the SDK's credential chain does not fail before the first request.
 * The function's own "environment" in the config is applied on top of this.
 */
export function lambdaEnvironment(region: string, serverUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const variables: Record<string, string> = { AWS_REGION: region, AWS_DEFAULT_REGION: region }
  if (serverUrl !== undefined) {
    variables.AWS_ENDPOINT_URL_DYNAMODB = serverUrl
    variables.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = serverUrl
  }
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    variables.AWS_ACCESS_KEY_ID = 'local'
    variables.AWS_SECRET_ACCESS_KEY = 'local'
  }
  return variables
}
