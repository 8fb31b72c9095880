// Text in a grid cell, shown so that strings which differ look different. Cells keep every space
// (CSS white-space: pre); spaces at either end, which would still be invisible, are shaded; a
// control character is shown as a marked symbol (newline ↵, tab ⇥, others as their Unicode
// control picture, e.g. NUL ␀), styled apart from the same symbol typed as text; an empty string
// is a muted "". The cell's title holds the exact text.
import { html } from './html.js'
import { formatValue } from './dynamo-json.js'

const controlCharacter = /[\u0000-\u001f\u007f]/
const symbolOf = (character) => {
  if (character === '\n') return '↵'
  if (character === '\t') return '⇥'
  // The Control Pictures block (U+2400…) has one picture per C0 control; U+2421 is DEL's.
  return character === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + character.charCodeAt(0))
}
const codeOf = (character) => `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`

/** The middle of the text: runs of plain text, and each control character as a marked symbol. */
function withControls(text) {
  const parts = []
  let run = ''
  for (const character of text) {
    if (!controlCharacter.test(character)) { run += character; continue }
    if (run) parts.push(run)
    run = ''
    parts.push(html`<span class="control" title=${codeOf(character)}>${symbolOf(character)}</span>`)
  }
  if (run) parts.push(run)
  return parts
}

export function VisibleText({ text }) {
  if (text === '') return html`<span class="muted">""</span>`
  const [, leading, middle, trailing] = /^( *)(.*?)( *)$/s.exec(text)
  const edge = (spaces) => spaces && html`<span class="edge-space" title=${`${spaces.length} space${spaces.length === 1 ? '' : 's'}`}>${spaces}</span>`
  return html`${edge(leading)}${withControls(middle)}${edge(trailing)}`
}

/** A grid cell's attribute value; nothing for an item without the attribute (not an empty string's ""). */
export function ValueText({ value }) {
  return value === undefined ? null : html`<${VisibleText} text=${formatValue(value)} />`
}
