// Sets up the example against a running server (see docs/streams.md, "Stream triggers"):
// a users table with a NEW_AND_OLD_IMAGES stream, a user-stats table, and two event source
// mappings created through the Lambda API exactly as Terraform or CDK would create them.
// Then it writes a few users and prints what the triggers did.
// The server's address: EDDYDB_ENDPOINT or AWS_ENDPOINT_URL, else http://127.0.0.1:8000.
import { readFileSync, existsSync } from 'node:fs'
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda'

const endpoint = process.env.EDDYDB_ENDPOINT ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:8000'
const common = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
const dynamo = new DynamoDBClient(common)
const lambda = new LambdaClient(common)

const users = await dynamo.send(new CreateTableCommand({
  TableName: 'users',
  AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
}))
await dynamo.send(new CreateTableCommand({
  TableName: 'user-stats',
  AttributeDefinitions: [{ AttributeName: 'country', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'country', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}))
const streamArn = users.TableDescription.LatestStreamArn

await lambda.send(new CreateEventSourceMappingCommand({
  FunctionName: 'welcome-email',
  EventSourceArn: streamArn,
  StartingPosition: 'LATEST',
  FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  MaximumRetryAttempts: 3,
  DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:trigger-failures' } },
}))
await lambda.send(new CreateEventSourceMappingCommand({
  FunctionName: 'user-aggregates',
  EventSourceArn: streamArn,
  StartingPosition: 'TRIM_HORIZON',
  BatchSize: 50,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
}))

const people = [['u1', 'Ada', 'GB'], ['u2', 'Grace', 'US'], ['u3', 'Alan', 'GB'], ['u4', 'Edsger', 'NL']]
for (const [userId, name, country] of people) {
  await dynamo.send(new PutItemCommand({ TableName: 'users', Item: { userId: { S: userId }, name: { S: name }, email: { S: `${name.toLowerCase()}@example.com` }, country: { S: country } } }))
}
await dynamo.send(new PutItemCommand({ TableName: 'users', Item: { userId: { S: 'u3' }, name: { S: 'Alan' }, email: { S: 'alan@example.com' }, country: { S: 'US' } } }))
await dynamo.send(new DeleteItemCommand({ TableName: 'users', Key: { userId: { S: 'u4' } } }))

// The triggers run in the background: look until both have caught up (usually well under a
// second; up to a minute on a very busy machine).
// Only whole lines: the handler may be appending one as we read.
const readOutbox = () => existsSync('./outbox.jsonl') ? readFileSync('./outbox.jsonl', 'utf8').split('\n').slice(0, -1).map((line) => JSON.parse(line).to) : []
const readStats = async () => Object.fromEntries((await dynamo.send(new ScanCommand({ TableName: 'user-stats' }))).Items
  .map((item) => [item.country.S, Number(item.userCount.N)]))
let stats = {}
for (let look = 0; look < 600; look++) {
  stats = await readStats()
  if (readOutbox().length === people.length && stats.US === 2 && stats.GB === 1 && stats.NL === 0) break
  await new Promise((resolve) => setTimeout(resolve, 100))
}
console.log('user-stats:', stats)
console.log('outbox:', readOutbox())
dynamo.destroy()
lambda.destroy()
