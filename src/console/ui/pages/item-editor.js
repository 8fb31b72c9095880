// View and edit one item: as a form of typed attributes, as plain JSON, or as DynamoDB JSON.
// Creating and duplicating never overwrite an item; changing the key of an existing item moves
// it (a transaction puts the new one and deletes the old one).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { Dialog, ErrorMessage } from '../components.js'
import { fromPlain, isPlainSafe, itemFromPlain, itemToPlain, keyOf, parseDynamoItem, toPlain } from '../dynamo-json.js'

const formTypes = [['S', 'String'], ['N', 'Number'], ['BOOL', 'Boolean'], ['NULL', 'Null'], ['M', 'Map (JSON)'], ['L', 'List (JSON)'],
  ['SS', 'String set (JSON list)'], ['NS', 'Number set (JSON list)'], ['B', 'Binary (base64)']]

function rowsOf(item, keySchema) {
  const keyNames = keySchema.map((key) => key.AttributeName)
  const names = [...keyNames.filter((name) => name in item), ...Object.keys(item).filter((name) => !keyNames.includes(name))]
  return names.map((name) => {
    const [type, inner] = Object.entries(item[name])[0]
    const value = type === 'M' || type === 'L' ? JSON.stringify(toPlain(item[name]))
      : type === 'SS' || type === 'NS' ? JSON.stringify(type === 'NS' ? inner.map(Number) : inner)
        : type === 'NULL' ? '' : String(inner)
    return { name, type, value }
  })
}

function itemOfRows(rows) {
  const item = {}
  for (const { name, type, value } of rows) {
    if (!name.trim()) continue
    if (name in item) throw new Error(`Attribute ${name} appears twice`)
    const parsed = () => {
      try { return JSON.parse(value) } catch { throw new Error(`Attribute ${name}: not valid JSON`) }
    }
    switch (type) {
      case 'S': case 'B': item[name] = { [type]: value }; break
      case 'N':
        if (value.trim() === '' || !Number.isFinite(Number(value))) throw new Error(`Attribute ${name}: not a number`)
        item[name] = { N: value.trim() }
        break
      case 'BOOL': item[name] = { BOOL: value === 'true' }; break
      case 'NULL': item[name] = { NULL: true }; break
      case 'M': case 'L': {
        const converted = fromPlain(parsed())
        if (!(type in converted)) throw new Error(`Attribute ${name}: expected a JSON ${type === 'M' ? 'object' : 'list'}`)
        item[name] = converted
        break
      }
      case 'SS': case 'NS': {
        const list = parsed()
        if (!Array.isArray(list)) throw new Error(`Attribute ${name}: expected a JSON list`)
        item[name] = { [type]: list.map(String) }
        break
      }
    }
  }
  return item
}

/** `mode`: 'create' | 'edit' | 'duplicate'; `item`: the DynamoDB JSON item (empty for create). */
export function ItemEditor({ table, region, mode, item, onClose, onSaved }) {
  const plainSafe = isPlainSafe(item)
  const [view, setView] = useState('form')
  const [rows, setRows] = useState(() => rowsOf(item, table.KeySchema))
  const [text, setText] = useState('')
  const [error, setError] = useState()
  const [busy, setBusy] = useState(false)
  if (rows.length === 0) {
    // A new item starts with its key attributes, typed as the table defines them.
    const keyRows = table.KeySchema.map(({ AttributeName }) => ({ name: AttributeName, type: table.AttributeDefinitions.find((d) => d.AttributeName === AttributeName)?.AttributeType ?? 'S', value: '' }))
    setRows(keyRows)
  }

  const current = () => (view === 'form' ? itemOfRows(rows) : view === 'json' ? parseDynamoItem(text) : itemFromPlain(JSON.parse(text)))
  const switchTo = (next) => {
    if (next === view) return
    try {
      const value = current()
      setError(undefined)
      if (next === 'form') setRows(rowsOf(value, table.KeySchema))
      else setText(JSON.stringify(next === 'json' ? value : itemToPlain(value), null, 2))
      setView(next)
    } catch (caught) {
      setError(caught)
    }
  }

  const save = async (event) => {
    event.preventDefault()
    setError(undefined)
    setBusy(true)
    try {
      const next = current()
      const newKey = keyOf(next, table.KeySchema)
      for (const [name, value] of Object.entries(newKey)) if (!value) throw new Error(`The key attribute ${name} is missing`)
      const noOverwrite = { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': table.KeySchema[0].AttributeName } }
      const keyChanged = mode === 'edit' && JSON.stringify(newKey) !== JSON.stringify(keyOf(item, table.KeySchema))
      if (mode !== 'edit') {
        await dynamo('PutItem', { TableName: table.TableName, Item: next, ...noOverwrite }, region)
      } else if (keyChanged) {
        await dynamo('TransactWriteItems', { TransactItems: [
          { Put: { TableName: table.TableName, Item: next, ...noOverwrite } },
          { Delete: { TableName: table.TableName, Key: keyOf(item, table.KeySchema) } },
        ] }, region)
      } else {
        await dynamo('PutItem', { TableName: table.TableName, Item: next }, region)
      }
      onSaved()
    } catch (caught) {
      if (caught.type === 'ConditionalCheckFailedException' || /ConditionalCheckFailed/.test(caught.message ?? '')) {
        setError({ type: 'Item exists', message: 'An item with this key already exists; change the key or edit that item' })
      } else {
        setError(caught)
      }
      setBusy(false)
    }
  }

  const setRow = (at, field, value) => setRows(rows.map((row, i) => (i === at ? { ...row, [field]: value, ...(field === 'type' && value === 'BOOL' ? { value: 'true' } : {}) } : row)))
  const keyNames = table.KeySchema.map((key) => key.AttributeName)
  const title = mode === 'create' ? 'Create item' : mode === 'duplicate' ? 'Duplicate item' : 'Edit item'
  return html`<${Dialog} title=${title} onClose=${onClose} wide>
    <form onSubmit=${save} class="item-editor">
      <div class="segmented" role="group" aria-label="View as">
        ${[['form', 'Form'], ['plain', 'JSON'], ['json', 'DynamoDB JSON']].map(([id, label]) => html`
          <button type="button" aria-pressed=${view === id} disabled=${id === 'plain' && !plainSafe} title=${id === 'plain' && !plainSafe ? 'This item holds sets, binaries or numbers plain JSON cannot show exactly' : ''}
            onClick=${() => switchTo(id)}>${label}</button>`)}
      </div>
      ${view === 'form' ? html`
        <div class="attribute-rows">
          ${rows.map((row, at) => html`<div class="row attribute-row">
            <label>Attribute name <input value=${row.name} onInput=${(e) => setRow(at, 'name', e.target.value)} readonly=${keyNames.includes(row.name) && at < keyNames.length} /></label>
            <label>Type <select value=${row.type} onChange=${(e) => setRow(at, 'type', e.target.value)}>${formTypes.map(([value, label]) => html`<option value=${value}>${label}</option>`)}</select></label>
            ${row.type === 'BOOL' ? html`<label>Value <select value=${row.value} onChange=${(e) => setRow(at, 'value', e.target.value)}><option>true</option><option>false</option></select></label>`
              : row.type === 'NULL' ? html`<span class="value-null">null</span>`
                : html`<label class="grow">Value${keyNames.includes(row.name) ? ' (key)' : ''} <input value=${row.value} onInput=${(e) => setRow(at, 'value', e.target.value)} aria-label=${`Value of ${row.name || 'new attribute'}`} /></label>`}
            ${keyNames.includes(row.name) && at < keyNames.length ? html`<span class="badge">key</span>` : html`<button type="button" class="small" aria-label=${`Remove attribute ${row.name}`} onClick=${() => setRows(rows.filter((_, i) => i !== at))}>Remove</button>`}
          </div>`)}
        </div>
        <button type="button" onClick=${() => setRows([...rows, { name: '', type: 'S', value: '' }])}>Add attribute</button>`
      : html`<label>${view === 'json' ? 'Item (DynamoDB JSON)' : 'Item (JSON)'}
          <textarea class="code" rows="16" spellcheck=${false} value=${text} onInput=${(e) => setText(e.target.value)}></textarea></label>`}
      <${ErrorMessage} error=${error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${mode === 'edit' ? 'Save changes' : 'Create item'}</button>
      </div>
    </form>
  <//>`
}
