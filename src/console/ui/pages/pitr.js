// A table's point-in-time recovery: status and window (DescribeContinuousBackups), on and off
// (UpdateContinuousBackups), and a restore into a new table as of a chosen second
// (RestoreTableToPointInTime).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ActionOutcome, ErrorMessage, TableLink, formatTime, fromLocalInput, toLocalInput, useAction, useAsync } from '../components.js'

/** DynamoDB's bounds on RecoveryPeriodInDays. */
const recoveryDaysMin = 1
const recoveryDaysMax = 35

export function PitrPanel({ table, region }) {
  const description = useAsync(() => dynamo('DescribeContinuousBackups', { TableName: table.TableName }, region), [table.TableName, region])
  const toggle = useAction()
  const [days, setDays] = useState(recoveryDaysMax)
  const pitr = description.data?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
  const on = pitr?.PointInTimeRecoveryStatus === 'ENABLED'
  const setPitr = (enabled) => toggle.run(async () => {
    await dynamo('UpdateContinuousBackups', {
      TableName: table.TableName,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled, ...(enabled ? { RecoveryPeriodInDays: Number(days) } : {}) },
    }, region)
    description.reload()
  }, enabled ? 'Point-in-time recovery is on.' : 'Point-in-time recovery is off.')
  return html`
    <section aria-labelledby="pitr-heading">
      <h2 id="pitr-heading">Point-in-time recovery</h2>
      <${ErrorMessage} error=${description.error} />
      <${ActionOutcome} action=${toggle} />
      ${pitr && html`
        <dl class="details">
          <dt>Status</dt><dd><span class=${`status ${on ? 'Enabled' : 'Disabled'}`}>${pitr.PointInTimeRecoveryStatus}</span></dd>
          ${on && html`
            <dt>Recovery period</dt><dd>${pitr.RecoveryPeriodInDays} days</dd>
            <dt>Restorable window</dt><dd class="window">${formatTime(pitr.EarliestRestorableDateTime)} – ${formatTime(pitr.LatestRestorableDateTime)}
              <button type="button" class="small inline" onClick=${description.reload}>Refresh</button></dd>`}
        </dl>
        <div class="row">
          ${!on && html`<label>Recovery period (days)
            <input type="number" min=${recoveryDaysMin} max=${recoveryDaysMax} value=${days} onInput=${(event) => setDays(event.target.value)} /></label>`}
          <button type="button" disabled=${toggle.busy} onClick=${() => setPitr(!on)}>${on ? 'Turn off point-in-time recovery' : 'Turn on point-in-time recovery'}</button>
        </div>
        ${on && html`<${RestoreToTime} table=${table} region=${region} pitr=${pitr} />`}`}
    </section>`
}

function RestoreToTime({ table, region, pitr }) {
  const [target, setTarget] = useState(`${table.TableName}-restored`)
  const [latest, setLatest] = useState(false)
  const [time, setTime] = useState(toLocalInput(pitr.LatestRestorableDateTime))
  const restore = useAction()
  const submit = (event) => {
    event.preventDefault()
    const name = target.trim()
    restore.run(() => dynamo('RestoreTableToPointInTime', {
      SourceTableName: table.TableName, TargetTableName: name,
      // The input holds whole seconds: the second the window opens in stands for the moment it
      // opens (right after PITR is turned on, that second is also the default, the latest).
      ...(latest ? { UseLatestRestorableTime: true } : { RestoreDateTime: Math.max(fromLocalInput(time), pitr.EarliestRestorableDateTime) }),
    }, region), () => html`Restoring into <${TableLink} name=${name} />: it is ACTIVE once every item is copied.`)
  }
  return html`
    <form class="form" aria-label="Restore to a point in time" onSubmit=${submit}>
      <fieldset>
        <legend>Restore to a point in time</legend>
        <label>New table name <input required pattern="[a-zA-Z0-9_.\\-]{3,255}" value=${target} onInput=${(event) => setTarget(event.target.value)} /></label>
        <div class="row">
          <label class="check"><input type="checkbox" checked=${latest} onChange=${(event) => setLatest(event.target.checked)} /> Latest restorable time</label>
          <label>Restore time (your local time)
            <input type="datetime-local" step="1" required=${!latest} disabled=${latest} value=${time}
              min=${toLocalInput(pitr.EarliestRestorableDateTime)} onInput=${(event) => setTime(event.target.value)} /></label>
          <button type="submit" class="primary" disabled=${restore.busy}>Restore</button>
        </div>
        <${ActionOutcome} action=${restore} />
      </fieldset>
    </form>`
}
