// A PartiQL editor (ExecuteStatement) with parameters, paging and a history kept in this browser.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ErrorMessage, useAsync } from '../components.js'
import { checkAttributeValue, formatValue } from '../dynamo-json.js'
import { ValueText, VisibleText } from '../visible-text.js'
import { listTableNames } from '../tables.js'

const historyKey = 'eddydb.console.partiql-history'
const historyKept = 50
/** The results show at most this many columns, and say how many more attributes there are. */
const columnsMax = 20

/**
 * The statement's parameters (one for each ?) from their text: a JSON list of DynamoDB values,
 * e.g. [{"S": "Acme"}, {"N": "3"}]; none when blank. Throws a readable Error.
 */
function parametersOf(text) {
  if (text.trim() === '') return []
  let list
  try { list = JSON.parse(text) } catch { throw new Error('Parameters: expected a JSON list such as [{"S": "Acme"}]') }
  if (!Array.isArray(list)) throw new Error('Parameters: expected a JSON list such as [{"S": "Acme"}]')
  list.forEach((each, at) => checkAttributeValue(each, `Parameter ${at + 1}`))
  return list
}

const readHistory = () => {
  try { return JSON.parse(localStorage.getItem(historyKey) ?? '[]') } catch { return [] }
}

export function PartiqlPage({ region }) {
  const tables = useAsync(() => listTableNames(region), [region])
  const [statement, setStatement] = useState('')
  const [parameterText, setParameterText] = useState('')
  const [result, setResult] = useState()
  const [error, setError] = useState()
  const [busy, setBusy] = useState(false)
  const [history, setHistory] = useState(readHistory)

  // A next page belongs to the statement and parameters as they were run, whatever the editor holds since.
  const run = async (nextToken) => {
    const text = nextToken ? result.statement : statement.trim()
    if (!text) return
    setBusy(true)
    setError(undefined)
    try {
      const parameters = nextToken ? result.parameters : parametersOf(parameterText)
      const output = await dynamo('ExecuteStatement', {
        Statement: text, ...(parameters.length ? { Parameters: parameters } : {}), ...(nextToken ? { NextToken: nextToken } : {}),
      }, region)
      setResult({ items: output.Items ?? [], nextToken: output.NextToken, statement: text, parameters, page: nextToken ? (result?.page ?? 1) + 1 : 1 })
      const updated = [text, ...history.filter((each) => each !== text)].slice(0, historyKept)
      setHistory(updated)
      localStorage.setItem(historyKey, JSON.stringify(updated))
    } catch (caught) {
      setError(caught)
      setResult(undefined)
    } finally {
      setBusy(false)
    }
  }
  const names = [...new Set((result?.items ?? []).flatMap((item) => Object.keys(item)))]
  const columns = names.slice(0, columnsMax)
  return html`
    <div class="page-head"><h1>PartiQL <span class="muted">in ${region}</span></h1></div>
    <div class="split">
      <section class="editor-pane">
        <form onSubmit=${(event) => { event.preventDefault(); run() }}>
          <label>Statement
            <textarea class="code" rows="6" spellcheck=${false} value=${statement} placeholder='SELECT * FROM "Music" WHERE "Artist" = ?'
              onInput=${(e) => setStatement(e.target.value)}
              onKeyDown=${(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run() } }}></textarea>
          </label>
          <label>Parameters (optional: a JSON list of DynamoDB values, one for each ?)
            <textarea class="code" rows="2" spellcheck=${false} value=${parameterText} placeholder='[{"S": "Acme"}]'
              onInput=${(e) => setParameterText(e.target.value)}
              onKeyDown=${(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run() } }}></textarea>
          </label>
          <div class="actions left">
            <button type="submit" class="primary" disabled=${busy}>Run</button>
            <span class="muted">Ctrl+Enter runs the statement</span>
          </div>
        </form>
        <${ErrorMessage} error=${error} />
        ${result && html`
          <p class="muted" aria-live="polite">${result.items.length} item${result.items.length === 1 ? '' : 's'} · page ${result.page}</p>
          ${result.items.length > 0 && html`<div class="table-scroll"><table class="grid results" aria-label="Statement results">
            <thead><tr>${columns.map((column) => html`<th title=${column}><${VisibleText} text=${column} /></th>`)}</tr></thead>
            <tbody>${result.items.map((item) => html`<tr>${columns.map((column) => html`<td title=${formatValue(item[column])}><${ValueText} value=${item[column]} /></td>`)}</tr>`)}</tbody>
          </table></div>`}
          ${names.length > columnsMax && html`<p class="muted">+${names.length - columnsMax} more attributes are not shown as columns</p>`}
          ${result.nextToken && html`<button type="button" onClick=${() => run(result.nextToken)}>Next page</button>`}`}
      </section>
      <aside>
        <h2>Tables</h2>
        <ul class="plain">${(tables.data ?? []).map((name) => html`<li><button type="button" class="link" onClick=${() => setStatement(`SELECT * FROM "${name}"`)}>${name}</button></li>`)}</ul>
        <h2>History</h2>
        ${history.length === 0 ? html`<p class="muted">Statements you run appear here.</p>` : html`
          <ul class="plain history" aria-label="Statement history">${history.map((each) => html`<li><button type="button" class="link code" onClick=${() => setStatement(each)}>${each}</button></li>`)}</ul>
          <button type="button" class="small" onClick=${() => { setHistory([]); localStorage.removeItem(historyKey) }}>Clear history</button>`}
      </aside>
    </div>`
}
