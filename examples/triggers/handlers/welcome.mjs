// Sends a "welcome" email for every new user. Here "sending" appends to an outbox file; a real
// handler would call an email service. The mapping's filter delivers only INSERT records.
import { appendFileSync } from 'node:fs'

export const handler = async (event) => {
  for (const record of event.Records) {
    const user = record.dynamodb.NewImage
    const email = { to: user.email.S, subject: `Welcome, ${user.name.S}!`, sequence: record.dynamodb.SequenceNumber }
    appendFileSync(process.env.OUTBOX ?? './outbox.jsonl', JSON.stringify(email) + '\n')
  }
  // Nothing failed: with ReportBatchItemFailures an empty list means the whole batch succeeded.
  return { batchItemFailures: [] }
}
