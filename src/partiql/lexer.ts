/**
 * Splits a PartiQL statement into tokens. Bare words (keywords and plain identifiers) keep
 * their spelling; the parser compares keywords case-insensitively. Double quotes make an
 * identifier, single quotes a string; a quote inside either is written twice.
 */
import { malformedStatement } from './errors.js'

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'end'

export interface Token {
  kind: TokenKind
  text: string
  /** Where the token starts in the statement, and how many characters it spans there. */
  offset: number
  length: number
}

/** Longest first, so '<<' wins over '<' and '<=' over '<'. */
const punctuation = ['<<', '>>', '<>', '!=', '<=', '>=', '*', ',', '.', '(', ')', '[', ']', '{', '}', ':', '=', '<', '>', '+', '-', '?', ';']

const wordStart = /[A-Za-z_$]/
const wordPart = /[A-Za-z0-9_$]/
const numberPattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/

export function tokenize(statement: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < statement.length) {
    const char = statement[at]!
    if (/\s/.test(char)) { at++; continue }
    if (statement.startsWith('--', at)) {
      const end = statement.indexOf('\n', at)
      at = end < 0 ? statement.length : end + 1
      continue
    }
    if (statement.startsWith('/*', at)) {
      const end = statement.indexOf('*/', at + 2)
      if (end < 0) throw malformedStatement('')
      at = end + 2
      continue
    }
    if (char === "'" || char === '"') {
      const { text, next } = quoted(statement, at, char)
      tokens.push({ kind: char === "'" ? 'string' : 'quoted', text, offset: at, length: next - at })
      at = next
      continue
    }
    const number = numberPattern.exec(statement.slice(at))
    if (number && /[\d.]/.test(char) && !(char === '.' && !/\d/.test(statement[at + 1] ?? ''))) {
      tokens.push({ kind: 'number', text: number[0], offset: at, length: number[0].length })
      at += number[0].length
      continue
    }
    if (wordStart.test(char)) {
      let end = at + 1
      while (end < statement.length && wordPart.test(statement[end]!)) end++
      tokens.push({ kind: 'word', text: statement.slice(at, end), offset: at, length: end - at })
      at = end
      continue
    }
    const symbol = punctuation.find((candidate) => statement.startsWith(candidate, at))
    if (!symbol) throw malformedStatement('')
    tokens.push({ kind: 'punct', text: symbol, offset: at, length: symbol.length })
    at += symbol.length
  }
  tokens.push({ kind: 'end', text: '', offset: statement.length, length: 0 })
  return tokens
}

/** A quoted string or identifier starting at `start`; a doubled quote stands for one. */
function quoted(statement: string, start: number, quote: string): { text: string; next: number } {
  let text = ''
  let at = start + 1
  while (at < statement.length) {
    const char = statement[at]!
    if (char === quote) {
      if (statement[at + 1] !== quote) return { text, next: at + 1 }
      at++
    }
    text += char
    at++
  }
  throw malformedStatement('')
}
