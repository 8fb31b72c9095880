// Keeps a derivative table up to date: how many users live in each country. Every INSERT adds one
// to the user's country, every REMOVE takes one away, and a MODIFY that moves a user moves the count.
// Delivery is at least once (as on AWS), so a redelivered batch can count twice; a production
// handler would make the update idempotent (e.g. remember the last SequenceNumber applied).
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb'

// No endpoint, region or credentials here, exactly as in a Lambda function: EddyDB runs the
// handler with AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB pointing at itself, whatever its port.
const client = new DynamoDBClient({})

async function addToCountry(country, delta) {
  await client.send(new UpdateItemCommand({
    TableName: 'user-stats',
    Key: { country: { S: country } },
    UpdateExpression: 'ADD userCount :delta',
    ExpressionAttributeValues: { ':delta': { N: String(delta) } },
  }))
}

export const handler = async (event) => {
  const failures = []
  for (const record of event.Records) {
    try {
      const before = record.dynamodb.OldImage?.country?.S
      const after = record.dynamodb.NewImage?.country?.S
      if (before === after) continue
      if (before) await addToCountry(before, -1)
      if (after) await addToCountry(after, 1)
    } catch {
      // Report this record (and, by Lambda's rule, everything after it) for a retry.
      failures.push({ itemIdentifier: record.dynamodb.SequenceNumber })
      break
    }
  }
  return { batchItemFailures: failures }
}
