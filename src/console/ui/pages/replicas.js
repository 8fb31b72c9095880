// A table's replicas (DescribeTable's Replicas: a global table, version 2019.11.21), adding and
// removing them (UpdateTable ReplicaUpdates), and the replication lag and backlog of each replica
// pair, charted live from the server's metrics (GET /_eddydb/metrics, source "replication").
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo, serverMetrics } from '../api.js'
import { ActionOutcome, ConfirmDialog, ErrorMessage, useAction, useInterval } from '../components.js'
import { Chart } from '../chart.js'

const pollMs = 1000
const pointsKept = 120
const windowSeconds = (pointsKept * pollMs) / 1000
const replicaRefreshMs = 3000

const pairName = (labels) => `${labels.source} → ${labels.target}`

/** Readings of one table's replication samples → times and, per pair, its lag and backlog. */
function replicationSeries(readings) {
  const times = []
  const lag = new Map()
  const backlog = new Map()
  readings.forEach((reading, at) => {
    times.push(reading.timeMs / 1000)
    for (const sample of reading.samples) {
      const name = pairName(sample.labels)
      if (!lag.has(name)) { lag.set(name, new Array(at).fill(null)); backlog.set(name, new Array(at).fill(null)) }
      lag.get(name).push(sample.values.ReplicationLatency ?? null)
      backlog.get(name).push(sample.values.PendingReplicationCount ?? null)
    }
    for (const [name, values] of lag) if (values.length < times.length) { values.push(null); backlog.get(name).push(null) }
  })
  return { times, lag, backlog }
}

export function ReplicasPanel({ table, region, reload }) {
  const [readings, setReadings] = useState([])
  const [metricsError, setMetricsError] = useState()
  const [newRegion, setNewRegion] = useState('')
  const [removing, setRemoving] = useState()
  const change = useAction()
  useInterval(async () => {
    try {
      const metrics = await serverMetrics(region)
      const samples = (metrics.replication ?? []).filter((sample) => sample.labels.table === table.TableName)
      setReadings((current) => [...current, { timeMs: metrics.timeMs, samples }].slice(-pointsKept))
      setMetricsError(undefined)
    } catch (caught) {
      setMetricsError(caught)
    }
  }, pollMs, [table.TableName, region])
  // A replica being created or removed changes its status without a word from us: look again.
  useInterval(reload, replicaRefreshMs, [])
  const updateReplicas = (update, success) => change.run(async () => {
    await dynamo('UpdateTable', { TableName: table.TableName, ReplicaUpdates: [update] }, region)
    reload()
  }, success)
  const addReplica = (event) => {
    event.preventDefault()
    const name = newRegion.trim()
    updateReplicas({ Create: { RegionName: name } }, `A replica in ${name} is being created.`)
    setNewRegion('')
  }
  const replicas = table.Replicas ?? []
  const latest = readings[readings.length - 1]?.samples ?? []
  const { times, lag, backlog } = replicationSeries(readings)
  return html`
    <h2>Replicas</h2>
    <${ActionOutcome} action=${change} />
    ${replicas.length === 0 ? html`<p class="muted">${table.TableName} has no replicas: it is not a global table. Adding the first replica turns on a stream with new and old images if the table has none.</p>` : html`
      <div class="table-scroll"><table class="grid" aria-label="Replicas">
        <thead><tr><th>Region</th><th>Status</th><th>Table class</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          <tr><td>${region} <span class="badge">this region</span></td><td><span class=${`status ${table.TableStatus}`}>${table.TableStatus}</span></td><td>${table.TableClassSummary?.TableClass ?? 'STANDARD'}</td><td></td></tr>
          ${replicas.filter((replica) => replica.RegionName !== region).map((replica) => html`<tr key=${replica.RegionName}>
            <td>${replica.RegionName}</td>
            <td><span class=${`status ${replica.ReplicaStatus}`}>${replica.ReplicaStatus}</span>${replica.ReplicaStatusDescription ? html`<div class="small muted">${replica.ReplicaStatusDescription}</div>` : ''}</td>
            <td>${replica.ReplicaTableClassSummary?.TableClass ?? 'STANDARD'}</td>
            <td><button type="button" class="small danger" aria-label=${`Remove replica ${replica.RegionName}`} onClick=${() => setRemoving(replica.RegionName)}>Remove</button></td>
          </tr>`)}
        </tbody>
      </table></div>`}
    <form class="row" aria-label="Add replica" onSubmit=${addReplica}>
      <label>Replica region <input required value=${newRegion} onInput=${(event) => setNewRegion(event.target.value)} placeholder="eu-west-1" /></label>
      <button type="submit" disabled=${change.busy}>Add replica</button>
    </form>
    <h2>Replication</h2>
    <${ErrorMessage} error=${metricsError} />
    <div class="charts">
      <${Chart} windowSeconds=${windowSeconds} title="Replication lag (ms)" unit="ms" times=${times} series=${lag} />
      <${Chart} windowSeconds=${windowSeconds} title="Changes waiting to replicate" unit="changes" times=${times} series=${backlog} />
    </div>
    ${latest.length === 0 ? html`<p class="muted">No replica pairs of ${table.TableName} are replicating on this server.</p>` : html`
      <div class="table-scroll"><table class="grid" aria-label="Replica pairs">
        <thead><tr><th>From</th><th>To</th><th class="num">Lag (ms)</th><th class="num">Waiting</th><th class="num">Replicated</th></tr></thead>
        <tbody>${latest.map((sample) => html`<tr>
          <td>${sample.labels.source}</td><td>${sample.labels.target}</td>
          <td class="num">${sample.values.ReplicationLatency ?? '—'}</td>
          <td class="num">${sample.values.PendingReplicationCount}</td>
          <td class="num">${sample.values.ReplicatedChanges}</td>
        </tr>`)}</tbody>
      </table></div>`}
    ${removing && html`<${ConfirmDialog}
      title=${`Remove the replica in ${removing}?`}
      message=${`The replica table in ${removing} is deleted with its items; ${table.TableName} here stays.`}
      action="Remove replica"
      onConfirm=${() => dynamo('UpdateTable', { TableName: table.TableName, ReplicaUpdates: [{ Delete: { RegionName: removing } }] }, region).then(reload)}
      onClose=${() => setRemoving(undefined)} />`}`
}
