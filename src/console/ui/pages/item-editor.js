// View and edit one item: as a form of typed attributes, as plain JSON, or as DynamoDB JSON.
// Creating and duplicating never overwrite an item; changing the key of an existing item moves
// it (a transaction puts the new one and deletes the old one).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { Dialog, ErrorMessage } from '../components.js'
import { attributeType } from '../tables.js'
import { checkAttributeValue, emptyName, formatItem, isPlainSafe, keyOf, parseDynamoItem, parsePlainItem } from '../dynamo-json.js'
import { JsonNumber, parseJson } from '../exact-json.js'

// The form shows every value as text it reads back exactly: strings, numbers and base64 as they
// are, sets as JSON lists of strings, maps and lists as DynamoDB JSON (which can say "set",
// "binary" and a number of 38 digits, as plain JSON cannot).
const formTypes = [['S', 'String'], ['N', 'Number'], ['BOOL', 'Boolean'], ['NULL', 'Null'], ['B', 'Binary (base64)'],
  ['SS', 'String set (JSON list)'], ['NS', 'Number set (JSON list)'], ['BS', 'Binary set (JSON list of base64)'],
  ['M', 'Map (DynamoDB JSON)'], ['L', 'List (DynamoDB JSON)']]
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** The form's text for an attribute value. */
function textOf(value) {
  const [type, inner] = Object.entries(value)[0]
  switch (type) {
    case 'SS': case 'NS': case 'BS': return JSON.stringify(inner)
    case 'M': case 'L': return JSON.stringify(inner, null, 2)
    case 'NULL': return ''
    default: return String(inner)
  }
}

/** The attribute value the form's text stands for; throws a readable Error. */
function valueOf(name, type, text) {
  const fail = (expected) => {
    throw new Error(`Attribute ${name}: expected ${expected}`)
  }
  const json = (read) => {
    try { return read(text) } catch { return fail('valid JSON') }
  }
  switch (type) {
    case 'S': case 'B': return { [type]: text }
    case 'N': return numberPattern.test(text.trim()) ? { N: text.trim() } : fail('a number')
    case 'BOOL': return { BOOL: text === 'true' }
    case 'NULL': return { NULL: true }
    case 'SS': case 'NS': case 'BS': {
      // A number set may be typed as numbers ([1, 2.5]): parseJson keeps their digits.
      const list = json(parseJson)
      const asText = (each) => (type === 'NS' && each instanceof JsonNumber ? each.text : each)
      const elements = Array.isArray(list) ? list.map(asText) : []
      if (!Array.isArray(list) || !elements.every((each) => typeof each === 'string')) fail(`a JSON list of ${type === 'NS' ? 'numbers' : 'strings'}`)
      return { [type]: elements }
    }
    case 'M': case 'L': {
      const value = { [type]: json(JSON.parse) }
      checkAttributeValue(value, `Attribute ${name}`)
      return value
    }
    default: return fail('a type')
  }
}

/** Form rows of an item: the table's key attributes first (empty while a new item has none). */
function rowsOf(item, table) {
  const keyNames = table.KeySchema.map((key) => key.AttributeName)
  const rowOf = (name) => (Object.hasOwn(item, name) ? { name, type: Object.keys(item[name])[0], value: textOf(item[name]) }
    : { name, type: attributeType(table, name), value: '' })
  return [...keyNames, ...Object.keys(item).filter((name) => !keyNames.includes(name))].map(rowOf)
}

/**
 * The item the rows stand for. A key not typed yet is left out; saving then names it as missing.
 * Names are never trimmed: DynamoDB takes any name of one byte or more, so ' ' and '\t' are
 * attribute names like any other. A row added and left blank is not an attribute yet; a row with
 * a value but no name is refused. Object.fromEntries, not assignment: "__proto__" and
 * "constructor" are attribute names like any other too.
 */
function itemOfRows(rows, keyNames) {
  const isBlank = ({ name, type, value }) => name === '' && type === 'S' && value === ''
  if (rows.some((row) => row.name === '' && !isBlank(row))) throw new Error(emptyName)
  const named = rows.filter((row) => !isBlank(row) && !(keyNames.includes(row.name) && row.value === ''))
  const twice = named.find(({ name }, at) => named.findIndex((other) => other.name === name) !== at)
  if (twice) throw new Error(`Attribute ${twice.name} appears twice`)
  return Object.fromEntries(named.map(({ name, type, value }) => [name, valueOf(name, type, value)]))
}

const plainUnsafe = 'Plain JSON cannot show this item exactly (it holds a set, a binary, or a number not written as JSON writes one); use the form or DynamoDB JSON'

/**
 * The value's text control. Numbers and binaries are one line; strings, sets, maps and lists are
 * a text area, which keeps a string's line breaks (a one-line input drops them).
 */
function valueField(row, onValue) {
  const label = `Value of ${row.name || 'new attribute'}`
  const onInput = (event) => onValue(event.target.value)
  if (row.type === 'N' || row.type === 'B') return html`<input value=${row.value} onInput=${onInput} aria-label=${label} />`
  const lines = Math.min(row.value.split('\n').length, 10)
  return html`<textarea rows=${lines} class=${row.type === 'S' ? '' : 'code'} spellcheck=${row.type === 'S'} value=${row.value} onInput=${onInput} aria-label=${label}></textarea>`
}

/** An edit saves over the item as it was opened, not over what another tab or client saved since. */
async function refuseIfChanged(table, region, opened) {
  const { Item } = await dynamo('GetItem', { TableName: table.TableName, Key: keyOf(opened, table.KeySchema), ConsistentRead: true }, region)
  if (!Item) throw { type: 'Item deleted', message: 'The item was deleted since it was opened; nothing was saved' }
  if (canonical(Item) !== canonical(opened)) {
    throw { type: 'Item changed', message: 'The item was changed since it was opened (by another tab or client); nothing was saved. Close the editor and open the item again to see it.' }
  }
}

/** JSON with every object's members in name order, so equal items give equal text. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((name) => `${JSON.stringify(name)}:${canonical(value[name])}`).join(',')}}`
  return JSON.stringify(value)
}

const itemExists = { type: 'Item exists', message: 'An item with this key already exists; change the key or edit that item' }
const itemDeleted = { type: 'Item deleted', message: 'The item was deleted meanwhile; nothing was saved' }

/**
 * What a failed save tells: a failed condition in words (a put of a new key finds an item; an
 * edit's item is gone), a cancelled transaction (a key moved: put the new, delete the old) with
 * its reasons.
 */
function saveProblem(caught, mode) {
  const reasons = caught.body?.CancellationReasons
  if (Array.isArray(reasons)) {
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return itemExists
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return itemDeleted
    const told = reasons.filter((reason) => reason.Code !== 'None').map((reason) => reason.Message ?? reason.Code)
    return told.length > 0 ? { type: caught.type, message: told.join('; ') } : caught
  }
  if (caught.type === 'ConditionalCheckFailedException') return mode === 'edit' ? itemDeleted : itemExists
  return caught
}

/** `mode`: 'create' | 'edit' | 'duplicate'; `item`: the DynamoDB JSON item (empty for create). */
export function ItemEditor({ table, region, mode, item, onClose, onSaved }) {
  const plainSafe = isPlainSafe(item)
  const keyNames = table.KeySchema.map((key) => key.AttributeName)
  const [view, setView] = useState('form')
  const [rows, setRows] = useState(() => rowsOf(item, table))
  const [text, setText] = useState('')
  const [error, setError] = useState()
  const [busy, setBusy] = useState(false)

  const current = () => (view === 'form' ? itemOfRows(rows, keyNames) : view === 'json' ? parseDynamoItem(text) : parsePlainItem(text))
  const switchTo = (next) => {
    if (next === view) return
    try {
      const value = current()
      // Plain JSON would turn a set into a list and a binary into a string: refuse rather than alter.
      if (next === 'plain' && !isPlainSafe(value)) throw new Error(plainUnsafe)
      setError(undefined)
      if (next === 'form') setRows(rowsOf(value, table))
      else setText(next === 'json' ? JSON.stringify(value, null, 2) : formatItem(value, 2))
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
      const keyName = { '#key': table.KeySchema[0].AttributeName }
      const noOverwrite = { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: keyName }
      const stillThere = { ConditionExpression: 'attribute_exists(#key)', ExpressionAttributeNames: keyName }
      const oldKey = keyOf(item, table.KeySchema)
      const keyChanged = mode === 'edit' && JSON.stringify(newKey) !== JSON.stringify(oldKey)
      if (mode === 'edit') await refuseIfChanged(table, region, item)
      if (mode !== 'edit') {
        await dynamo('PutItem', { TableName: table.TableName, Item: next, ...noOverwrite }, region)
      } else if (keyChanged) {
        await dynamo('TransactWriteItems', { TransactItems: [
          { Put: { TableName: table.TableName, Item: next, ...noOverwrite } },
          { Delete: { TableName: table.TableName, Key: oldKey, ...stillThere } },
        ] }, region)
      } else {
        // Not a deleted item brought back: it must still be there.
        await dynamo('PutItem', { TableName: table.TableName, Item: next, ...stillThere }, region)
      }
      onSaved()
    } catch (caught) {
      setError(saveProblem(caught, mode))
      setBusy(false)
    }
  }

  const setRow = (at, field, value) => setRows(rows.map((row, i) => (i === at ? { ...row, [field]: value, ...(field === 'type' && value === 'BOOL' ? { value: 'true' } : {}) } : row)))
  const title = mode === 'create' ? 'Create item' : mode === 'duplicate' ? 'Duplicate item' : 'Edit item'
  return html`<${Dialog} title=${title} onClose=${onClose} wide>
    <form onSubmit=${save} class="item-editor">
      <div class="segmented" role="group" aria-label="View as">
        ${[['form', 'Form'], ['plain', 'JSON'], ['json', 'DynamoDB JSON']].map(([id, label]) => html`
          <button type="button" aria-pressed=${view === id} disabled=${id === 'plain' && !plainSafe} title=${id === 'plain' && !plainSafe ? plainUnsafe : ''}
            onClick=${() => switchTo(id)}>${label}</button>`)}
      </div>
      ${view === 'form' ? html`
        <div class="attribute-rows">
          ${rows.map((row, at) => html`<div class="row attribute-row">
            <label>Attribute name <input value=${row.name} onInput=${(e) => setRow(at, 'name', e.target.value)} readonly=${keyNames.includes(row.name) && at < keyNames.length} /></label>
            <label>Type <select value=${row.type} onChange=${(e) => setRow(at, 'type', e.target.value)}>${formTypes.map(([value, label]) => html`<option value=${value}>${label}</option>`)}</select></label>
            ${row.type === 'BOOL' ? html`<label>Value <select value=${row.value} onChange=${(e) => setRow(at, 'value', e.target.value)}><option>true</option><option>false</option></select></label>`
              : row.type === 'NULL' ? html`<span class="value-null">null</span>`
                : html`<label class="grow">Value${keyNames.includes(row.name) ? ' (key)' : ''} ${valueField(row, (value) => setRow(at, 'value', value))}</label>`}
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
