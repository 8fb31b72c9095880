/**
 * Splits expression text into tokens. Keywords (AND, SET, BETWEEN, ...) are ordinary names
 * here; the parser decides, case-insensitively, where a name is a keyword.
 * A character that starts no token becomes a one-character 'unknown' token, so that the parser
 * reports it as DynamoDB does: `Syntax error; token: "!", near: "!!"`.
 */

export type TokenKind =
  | 'name'         // a or a_1 (never _a)
  | 'placeholder'  // #a
  | 'value'        // :a
  | 'integer'      // 0, 12 (list indexes; no leading zeros)
  | 'punctuation'  // ( ) [ ] , . = <> < <= > >= + -
  | 'unknown'      // any other character
  | 'end'

export interface Token {
  kind: TokenKind
  text: string
  /** Offsets into the expression text: [start, end). */
  start: number
  end: number
}

const twoCharacterPunctuation = new Set(['<>', '<=', '>='])
const oneCharacterPunctuation = new Set(['(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'])

/**
 * A bare attribute or function name starts with a letter: `_a` and `1a` are syntax errors in
 * DynamoDB (`Syntax error; token: "_", near: "SET _123"`, Alternator's
 * test_update_expression_name_token). After `#` or `:` any name character may come first.
 */
function isNameStart(character: string): boolean {
  return /[A-Za-z]/.test(character)
}

function isNamePart(character: string): boolean {
  return /[A-Za-z0-9_]/.test(character)
}

function isWhitespace(character: string): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r'
}

/** The end offset of the run of name characters starting at `start`. */
function scanNamePart(text: string, start: number): number {
  let end = start
  while (end < text.length && isNamePart(text[end]!)) end++
  return end
}

function scanDigits(text: string, start: number): number {
  let end = start
  while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end++
  return end
}

function nextToken(text: string, start: number): Token {
  const character = text[start]!
  const make = (kind: TokenKind, end: number): Token => ({ kind, text: text.slice(start, end), start, end })
  if (isNameStart(character)) return make('name', scanNamePart(text, start + 1))
  // DynamoDB's integers have no leading zeros: "007" is the integer 0 followed by more tokens, so
  // `a[007]` is `Syntax error; token: "0", near: "007"` (DynamoDB Local 2026-05-28).
  if (character === '0') return make('integer', start + 1)
  if (character >= '1' && character <= '9') return make('integer', scanDigits(text, start + 1))
  if (character === '#' || character === ':') {
    const end = scanNamePart(text, start + 1)
    // A lone '#' or ':' is not a placeholder: the parser reports it as a syntax error.
    if (end === start + 1) return make('unknown', end)
    return make(character === '#' ? 'placeholder' : 'value', end)
  }
  if (twoCharacterPunctuation.has(text.slice(start, start + 2))) return make('punctuation', start + 2)
  if (oneCharacterPunctuation.has(character)) return make('punctuation', start + 1)
  // Keep surrogate pairs whole so an error message never shows half a character.
  const codePoint = text.codePointAt(start)!
  return make('unknown', start + (codePoint > 0xffff ? 2 : 1))
}

/** All tokens of `text`, ending with one 'end' token. Bounded by the text length. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let position = 0
  while (position < text.length) {
    if (isWhitespace(text[position]!)) {
      position++
      continue
    }
    const token = nextToken(text, position)
    tokens.push(token)
    position = token.end
  }
  tokens.push({ kind: 'end', text: '<EOF>', start: text.length, end: text.length })
  return tokens
}
