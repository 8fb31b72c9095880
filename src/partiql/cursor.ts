/**
 * A position in a statement's tokens, with the request's Parameters that `?` binds to in
 * order. Keywords match case-insensitively; quoted identifiers never match a keyword.
 */
import { ValidationException } from '../errors.js'
import { normalizeAttributeValue } from '../values/attribute-value.js'
import type { AttributeValue } from '../values/types.js'
import { malformedStatement } from './errors.js'
import { tokenize, type Token } from './lexer.js'

export const parameterCountMessage = "Number of parameters in request and statement don't match."

export class Cursor {
  readonly #statement: string
  readonly #tokens: Token[]
  readonly #parameters: readonly AttributeValue[]
  #at = 0
  #parametersUsed = 0

  constructor(statement: string, parameters: readonly AttributeValue[] = []) {
    this.#statement = statement
    this.#tokens = tokenize(statement)
    this.#parameters = parameters
  }

  peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#at + offset, this.#tokens.length - 1)]!
  }

  next(): Token {
    const token = this.peek()
    if (this.#at < this.#tokens.length - 1) this.#at++
    return token
  }

  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset)
    return token.kind === 'word' && token.text.toUpperCase() === word
  }

  isPunct(symbol: string, offset = 0): boolean {
    const token = this.peek(offset)
    return token.kind === 'punct' && token.text === symbol
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false
    this.next()
    return true
  }

  acceptPunct(symbol: string): boolean {
    if (!this.isPunct(symbol)) return false
    this.next()
    return true
  }

  expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.unexpected()
  }

  expectPunct(symbol: string): void {
    if (!this.acceptPunct(symbol)) throw this.unexpected()
  }

  /** Whether the statement ends here, a closing ';' aside. */
  atEnd(): boolean {
    return this.peek().kind === 'end' || (this.isPunct(';') && this.peek(1).kind === 'end')
  }

  /**
   * The error for the current token when it cannot continue the statement. Where a term should
   * start, the statement's end, closing ';' or not, is "Unexpected term" (`SELECT * FROM "t"
   * WHERE;`, paritysuite's PartiQL grammar cases, eu-west-2, October 2026).
   */
  unexpected(): ValidationException {
    const token = this.peek()
    if (this.atEnd()) return malformedStatement('Unexpected term')
    if (token.kind === 'word' && keywords.has(token.text.toUpperCase())) return malformedStatement('Unexpected keyword')
    return malformedStatement('Unexpected token')
  }

  /** "line:column:length" of a token, as DynamoDB places some errors ("... at 1:41:4"). */
  position(token: Token): string {
    const before = this.#statement.slice(0, token.offset)
    const line = before.split('\n').length
    const column = token.offset - before.lastIndexOf('\n')
    return `${line}:${column}:${token.length}`
  }

  /** The next request parameter for a `?`. Too few parameters are reported by finish(). */
  parameter(): AttributeValue {
    const value = this.#parameters[this.#parametersUsed++]
    return value === undefined ? { NULL: true } : normalizeAttributeValue(value)
  }

  /** The statement must end here (a trailing ';' is allowed) and have used every parameter. */
  finish(): void {
    this.acceptPunct(';')
    if (this.peek().kind !== 'end') throw malformedStatement('Unexpected token after expression')
    if (this.#parametersUsed !== this.#parameters.length) throw new ValidationException(parameterCountMessage)
  }
}

/** Words that cannot start a term; meeting one where a term belongs is "Unexpected keyword". */
export const keywords = new Set([
  'SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'ASC', 'DESC', 'INSERT', 'INTO', 'VALUE', 'VALUES', 'UPDATE', 'SET',
  'REMOVE', 'DELETE', 'RETURNING', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'AS', 'EXISTS',
])
