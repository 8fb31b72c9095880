/** Reading back what a table's Kinesis streaming destination wrote: every record of every shard. */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis'

export interface ForwardedRecord {
  shardId: string
  sequenceNumber: string
  partitionKey: string
  body: any
}

export async function readAllRecords(kinesis: KinesisClient, streamName: string): Promise<ForwardedRecord[]> {
  const records: ForwardedRecord[] = []
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards!) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }))
      for (const record of page.Records!) {
        records.push({
          shardId: shard.ShardId!, sequenceNumber: record.SequenceNumber!, partitionKey: record.PartitionKey!,
          body: JSON.parse(Buffer.from(record.Data!).toString('utf8')),
        })
      }
      if (page.Records!.length === 0 || page.MillisBehindLatest === 0) break
      iterator = page.NextShardIterator
    }
  }
  return records
}

/** Polls until at least `count` records are there (bounded by attempts, not time). */
export async function waitForRecords(kinesis: KinesisClient, streamName: string, count: number, attempts = 400): Promise<ForwardedRecord[]> {
  let records: ForwardedRecord[] = []
  for (let attempt = 0; attempt < attempts; attempt++) {
    records = await readAllRecords(kinesis, streamName)
    if (records.length >= count) return records
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`expected ${count} records in ${streamName}, found ${records.length}`)
}
