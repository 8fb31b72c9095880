// Browse a table's items with Scan or Query (key conditions, filters, index, order, paging),
// and create, edit, duplicate and delete them, one or a selection at a time.
import { useEffect, useState } from 'preact/hooks'
import { html } from '../html.js'
import { dynamo } from '../api.js'
import { ConfirmDialog, ErrorMessage, Notice } from '../components.js'
import { formatValue, keyOf, keyValue } from '../dynamo-json.js'
import { attributeType, indexChoices, keyNames } from '../tables.js'
import { ValueText, VisibleText } from '../visible-text.js'
import { ItemEditor } from './item-editor.js'

const sortOperators = [['', 'Any'], ['=', '='], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['between', 'Between'], ['begins_with', 'Begins with']]
const filterOperators = [['=', '='], ['<>', '≠'], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['begins_with', 'Begins with'], ['contains', 'Contains'],
  ['exists', 'Exists'], ['not_exists', 'Does not exist']]
const filterTypes = [['S', 'String'], ['N', 'Number'], ['BOOL', 'Boolean']]

/** Builds the expression parts of a Scan or Query from the search form. */
function searchInput(table, search) {
  const names = {}
  const values = {}
  const name = (attribute) => {
    const placeholder = `#a${Object.keys(names).length}`
    names[placeholder] = attribute
    return placeholder
  }
  const value = (attributeValue) => {
    const placeholder = `:v${Object.keys(values).length}`
    values[placeholder] = attributeValue
    return placeholder
  }
  const index = indexChoices(table).find((choice) => choice.name === search.index)
  const input = { TableName: table.TableName, Limit: Number(search.limit), ...(search.index ? { IndexName: search.index } : {}) }
  if (search.mode === 'query') {
    const keys = keyNames(index.keySchema)
    const conditions = [`${name(keys.partition)} = ${value(keyValue(attributeType(table, keys.partition), search.partitionValue))}`]
    if (keys.sort && search.sortOperator) {
      const type = attributeType(table, keys.sort)
      const sortName = name(keys.sort)
      const first = value(keyValue(type, search.sortValue))
      if (search.sortOperator === 'between') conditions.push(`${sortName} BETWEEN ${first} AND ${value(keyValue(type, search.sortValue2))}`)
      else if (search.sortOperator === 'begins_with') conditions.push(`begins_with(${sortName}, ${first})`)
      else conditions.push(`${sortName} ${search.sortOperator} ${first}`)
    }
    input.KeyConditionExpression = conditions.join(' AND ')
    input.ScanIndexForward = search.order === 'asc'
  }
  // A name is used exactly as typed: "  sp  " is an attribute name, and not the name "sp".
  const filters = search.filters.filter((filter) => filter.attribute !== '').map((filter) => {
    const attribute = name(filter.attribute)
    if (filter.operator === 'exists') return `attribute_exists(${attribute})`
    if (filter.operator === 'not_exists') return `attribute_not_exists(${attribute})`
    const operand = value(filter.type === 'BOOL' ? { BOOL: filter.value === 'true' } : keyValue(filter.type, filter.value))
    if (filter.operator === 'begins_with' || filter.operator === 'contains') return `${filter.operator}(${attribute}, ${operand})`
    return `${attribute} ${filter.operator} ${operand}`
  })
  if (filters.length) input.FilterExpression = filters.join(' AND ')
  if (Object.keys(names).length) input.ExpressionAttributeNames = names
  if (Object.keys(values).length) input.ExpressionAttributeValues = values
  return input
}

const keyText = (key) => JSON.stringify(key)

export function ItemsExplorer({ table, region }) {
  const [search, setSearch] = useState({
    mode: 'scan', index: '', partitionValue: '', sortOperator: '', sortValue: '', sortValue2: '', order: 'asc', limit: 50, filters: [],
  })
  const [result, setResult] = useState()
  // The search as last run: paging and refreshing follow it, not the form as edited since.
  const [ran, setRan] = useState(search)
  const [starts, setStarts] = useState([undefined])
  const [error, setError] = useState()
  const [busy, setBusy] = useState(false)
  const [selected, setSelected] = useState(new Set())
  const [editor, setEditor] = useState()
  const [deleting, setDeleting] = useState()
  const [notice, setNotice] = useState('')
  const indexOf = (name) => indexChoices(table).find((choice) => choice.name === name) ?? indexChoices(table)[0]
  const keys = keyNames(indexOf(search.index).keySchema)

  const run = async (pageStarts = [undefined], searched = search) => {
    setError(undefined)
    setBusy(true)
    try {
      const start = pageStarts[pageStarts.length - 1]
      const input = { ...searchInput(table, searched), ...(start ? { ExclusiveStartKey: start } : {}) }
      const output = await dynamo(searched.mode === 'query' ? 'Query' : 'Scan', input, region)
      setResult(output)
      setStarts(pageStarts)
      setRan(searched)
      setSelected(new Set())
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => { run() }, [])

  // The editor works on the item as stored, read again by its key: a row of a KEYS_ONLY or
  // INCLUDE index holds only some attributes, and saving those would drop the others.
  const openEditor = async (mode, row) => {
    setError(undefined)
    try {
      const { Item } = await dynamo('GetItem', { TableName: table.TableName, Key: keyOf(row, table.KeySchema), ConsistentRead: true }, region)
      if (Item) setEditor({ mode, item: Item })
      else setNotice('That item no longer exists')
    } catch (caught) {
      setError(caught)
    }
  }

  const set = (field) => (event) => setSearch({ ...search, [field]: event.target.value })
  const setFilter = (at, field, value) => setSearch({ ...search, filters: search.filters.map((filter, i) => (i === at ? { ...filter, [field]: value } : filter)) })
  const items = result?.Items ?? []
  const tableKeys = table.KeySchema.map((key) => key.AttributeName)
  const { columns, hiddenCount } = columnsOf(items, [...new Set([...tableKeys, ...indexOf(ran.index).keySchema.map((key) => key.AttributeName)])])
  const toggle = (key) => {
    const next = new Set(selected)
    next.has(key) ? next.delete(key) : next.add(key)
    setSelected(next)
  }
  const deleteItems = async (keysToDelete) => {
    // BatchWriteItem takes 25 requests at a time; unprocessed ones are sent again.
    for (let at = 0; at < keysToDelete.length; at += 25) {
      let requests = { [table.TableName]: keysToDelete.slice(at, at + 25).map((Key) => ({ DeleteRequest: { Key } })) }
      for (let attempt = 0; attempt < 10 && requests[table.TableName]?.length; attempt++) {
        requests = (await dynamo('BatchWriteItem', { RequestItems: requests }, region)).UnprocessedItems ?? {}
      }
    }
    setNotice(`Deleted ${keysToDelete.length} item${keysToDelete.length === 1 ? '' : 's'}`)
    await run(starts, ran)
  }

  return html`
    <form class="search" onSubmit=${(event) => { event.preventDefault(); setNotice(''); run() }} aria-label="Find items">
      <div class="row">
        <div class="segmented" role="group" aria-label="Operation">
          <button type="button" aria-pressed=${search.mode === 'scan'} onClick=${() => setSearch({ ...search, mode: 'scan' })}>Scan</button>
          <button type="button" aria-pressed=${search.mode === 'query'} onClick=${() => setSearch({ ...search, mode: 'query' })}>Query</button>
        </div>
        <label>Table or index
          <select value=${search.index} onChange=${set('index')}>
            ${indexChoices(table).map((choice) => html`<option value=${choice.name}>${choice.label}</option>`)}
          </select>
        </label>
        <label>Page size <select value=${search.limit} onChange=${set('limit')}>${[10, 25, 50, 100, 300].map((n) => html`<option>${n}</option>`)}</select></label>
      </div>
      ${search.mode === 'query' && html`<div class="row">
        <label>${keys.partition} (partition key) <input name="partitionValue" required value=${search.partitionValue} onInput=${set('partitionValue')} autocomplete="off" /></label>
        ${keys.sort && html`
          <label>${keys.sort} (sort key) <select name="sortOperator" value=${search.sortOperator} onChange=${set('sortOperator')}>${sortOperators.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>
          ${search.sortOperator && html`<label>Sort key value <input name="sortValue" value=${search.sortValue} onInput=${set('sortValue')} /></label>`}
          ${search.sortOperator === 'between' && html`<label>and <input name="sortValue2" value=${search.sortValue2} onInput=${set('sortValue2')} /></label>`}`}
        <label>Order <select value=${search.order} onChange=${set('order')}><option value="asc">Ascending</option><option value="desc">Descending</option></select></label>
      </div>`}
      ${search.filters.map((filter, at) => html`<div class="row filter-row">
        <label>Filter attribute <input value=${filter.attribute} onInput=${(e) => setFilter(at, 'attribute', e.target.value)} /></label>
        <label>Condition <select value=${filter.operator} onChange=${(e) => setFilter(at, 'operator', e.target.value)}>${filterOperators.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>
        ${filter.operator !== 'exists' && filter.operator !== 'not_exists' && html`
          <label>Type <select value=${filter.type} onChange=${(e) => setFilter(at, 'type', e.target.value)}>${filterTypes.map(([value, text]) => html`<option value=${value}>${text}</option>`)}</select></label>
          <label>Value <input value=${filter.value} onInput=${(e) => setFilter(at, 'value', e.target.value)} /></label>`}
        <button type="button" class="small" onClick=${() => setSearch({ ...search, filters: search.filters.filter((_, i) => i !== at) })}>Remove filter</button>
      </div>`)}
      <div class="actions left">
        <button type="submit" class="primary" disabled=${busy}>Run</button>
        <button type="button" onClick=${() => setSearch({ ...search, filters: [...search.filters, { attribute: '', operator: '=', type: 'S', value: '' }] })}>Add filter</button>
        <span class="spacer"></span>
        <button type="button" onClick=${() => setEditor({ mode: 'create', item: {} })}>Create item</button>
        <button type="button" class="danger" disabled=${selected.size === 0} onClick=${() => setDeleting([...selected].map((key) => JSON.parse(key)))}>Delete selected (${selected.size})</button>
      </div>
    </form>
    <${ErrorMessage} error=${error} />
    <${Notice} text=${notice} />
    ${result && html`
      <p class="muted" aria-live="polite">${items.length} item${items.length === 1 ? '' : 's'} returned · ${result.ScannedCount} scanned · page ${starts.length}</p>
      <div class="table-scroll">
        <table class="grid items">
          <thead><tr>
            <th><input type="checkbox" aria-label="Select all items on this page" checked=${items.length > 0 && selected.size === items.length}
              onChange=${(e) => setSelected(e.target.checked ? new Set(items.map((item) => keyText(keyOf(item, table.KeySchema)))) : new Set())} /></th>
            ${columns.map((column) => html`<th title=${column}><${VisibleText} text=${column} />${tableKeys.includes(column) ? html` <span class="badge">key</span>` : ''}</th>`)}
            <th><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>
            ${items.map((item) => {
              const key = keyText(keyOf(item, table.KeySchema))
              const label = tableKeys.map((name) => formatValue(item[name])).join(' / ')
              // Keyed by the item, so a row's buttons never change hands while new results replace
              // old ones (unkeyed, a click as a Query's rows replaced a Scan's opened another item).
              return html`<tr key=${key}>
                <td><input type="checkbox" aria-label=${`Select item ${label}`} checked=${selected.has(key)} onChange=${() => toggle(key)} /></td>
                ${columns.map((column, at) => html`<td title=${formatValue(item[column])}>${at === 0
                  ? html`<button type="button" class="link" onClick=${() => openEditor('edit', item)}><${ValueText} value=${item[column]} /></button>`
                  : html`<${ValueText} value=${item[column]} />`}</td>`)}
                <td class="row-actions">
                  <button type="button" class="small" aria-label=${`Edit item ${label}`} onClick=${() => openEditor('edit', item)}>Edit</button>
                  <button type="button" class="small" aria-label=${`Duplicate item ${label}`} onClick=${() => openEditor('duplicate', item)}>Duplicate</button>
                  <button type="button" class="small danger" aria-label=${`Delete item ${label}`} onClick=${() => setDeleting([keyOf(item, table.KeySchema)])}>Delete</button>
                </td>
              </tr>`
            })}
          </tbody>
        </table>
      </div>
      ${hiddenCount > 0 && html`<p class="muted">+${hiddenCount} more attribute${hiddenCount === 1 ? '' : 's'}: open an item to see ${hiddenCount === 1 ? 'it' : 'them'}</p>`}
      ${items.length === 0 && html`<p class="empty">${result.LastEvaluatedKey
        ? 'No items match on this page; the search has more pages (Next page).' : 'No items match.'}</p>`}
      <div class="actions left pager">
        <button type="button" disabled=${starts.length <= 1 || busy} onClick=${() => run(starts.slice(0, -1), ran)}>Previous page</button>
        <button type="button" disabled=${!result.LastEvaluatedKey || busy} onClick=${() => run([...starts, result.LastEvaluatedKey], ran)}>Next page</button>
      </div>`}
    ${editor && html`<${ItemEditor} table=${table} region=${region} mode=${editor.mode} item=${editor.item}
      onClose=${() => setEditor(undefined)}
      onSaved=${() => { setEditor(undefined); setNotice(editor.mode === 'edit' ? 'Item saved' : 'Item created'); run(starts, ran) }} />`}
    ${deleting && html`<${ConfirmDialog}
      title=${deleting.length === 1 ? 'Delete item?' : `Delete ${deleting.length} items?`}
      message=${deleting.length === 1 ? `Delete the item ${Object.values(deleting[0]).map(formatValue).join(' / ')}?` : `Delete the ${deleting.length} selected items?`}
      action="Delete"
      onConfirm=${() => deleteItems(deleting)}
      onClose=${() => setDeleting(undefined)} />`}`
}

/** The grid shows at most this many columns; the page says how many more attributes there are. */
const columnsMax = 20

/** Key attributes first, then the others by how many items hold them; and how many did not fit. */
function columnsOf(items, keyColumns) {
  const counts = new Map()
  for (const item of items) for (const name of Object.keys(item)) if (!keyColumns.includes(name)) counts.set(name, (counts.get(name) ?? 0) + 1)
  const others = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name)
  const all = [...keyColumns, ...others]
  return { columns: all.slice(0, columnsMax), hiddenCount: Math.max(0, all.length - columnsMax) }
}
