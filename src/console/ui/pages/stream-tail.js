// A live tail of a table's stream: every shard still open is read with GetRecords, new shards
// (after a rollover) are picked up from the stream's description, newest records on top.
import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../html.js'
import { streams } from '../api.js'
import { ErrorMessage } from '../components.js'
import { formatItem } from '../dynamo-json.js'

const recordsKept = 200
const pollMs = 1000

export function StreamTail({ table, region }) {
  const arn = table.LatestStreamArn
  const [from, setFrom] = useState('LATEST')
  const [records, setRecords] = useState([])
  const [error, setError] = useState()
  const [paused, setPaused] = useState(false)
  const pausedRef = useRef(paused)
  pausedRef.current = paused

  useEffect(() => {
    if (!arn || !table.StreamSpecification?.StreamEnabled) return
    setRecords([])
    let stopped = false
    const iterators = new Map() // shard id → next iterator (null once the shard is closed and read)
    let started = false
    const poll = async () => {
      const { StreamDescription } = await streams('DescribeStream', { StreamArn: arn }, region)
      for (const shard of StreamDescription.Shards) {
        if (iterators.has(shard.ShardId)) continue
        // Shards there when the tail starts are read from `from`; shards found later (after a
        // rollover) from their start, since everything in them is new.
        const type = started ? 'TRIM_HORIZON' : from
        if (type === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) { iterators.set(shard.ShardId, null); continue }
        const { ShardIterator } = await streams('GetShardIterator', { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: type }, region)
        iterators.set(shard.ShardId, ShardIterator)
      }
      started = true
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue
        const output = await streams('GetRecords', { ShardIterator: iterator, Limit: 100 }, region)
        iterators.set(shardId, output.NextShardIterator ?? null)
        if (output.Records?.length && !stopped) {
          setRecords((current) => [...output.Records.reverse().map((record) => ({ ...record, shardId })), ...current].slice(0, recordsKept))
        }
      }
    }
    const loop = async () => {
      while (!stopped) {
        if (!pausedRef.current) {
          try {
            await poll()
            setError(undefined)
          } catch (caught) {
            setError(caught)
          }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
    }
    loop()
    return () => { stopped = true }
  }, [arn, from, region])

  if (!table.StreamSpecification?.StreamEnabled) {
    return html`<p class="empty">This table has no stream. Turn one on under <a href=${`#/tables/${encodeURIComponent(table.TableName)}/details`}>Details</a>.</p>`
  }
  return html`
    <div class="row">
      <label>Start from <select value=${from} onChange=${(e) => setFrom(e.target.value)}>
        <option value="LATEST">Now (new records only)</option>
        <option value="TRIM_HORIZON">The oldest record kept</option>
      </select></label>
      <button type="button" aria-pressed=${paused} onClick=${() => setPaused(!paused)}>${paused ? 'Resume' : 'Pause'}</button>
      <button type="button" onClick=${() => setRecords([])}>Clear</button>
      <span class="muted live" aria-live="off">${paused ? 'Paused' : 'Live'} · ${table.StreamSpecification.StreamViewType} · <code>${arn}</code></span>
    </div>
    <${ErrorMessage} error=${error} />
    ${records.length === 0 ? html`<p class="empty">Waiting for changes… write to ${table.TableName} and its records appear here.</p>` : html`
      <ol class="stream-records" aria-label="Stream records" aria-live="polite">
        ${records.map((record) => html`<li class=${`stream-record ${record.eventName}`}>
          <header>
            <strong>${record.eventName}</strong>
            <span>${formatItem(record.dynamodb.Keys ?? {})}</span>
            <span class="muted">${new Date((record.dynamodb.ApproximateCreationDateTime ?? 0) * 1000).toLocaleTimeString()} · seq ${record.dynamodb.SequenceNumber}${record.userIdentity ? ' · TTL delete' : ''}</span>
          </header>
          ${record.dynamodb.OldImage && html`<div><span class="muted">Old</span> <code>${formatItem(record.dynamodb.OldImage)}</code></div>`}
          ${record.dynamodb.NewImage && html`<div><span class="muted">New</span> <code>${formatItem(record.dynamodb.NewImage)}</code></div>`}
        </li>`)}
      </ol>`}`
}
