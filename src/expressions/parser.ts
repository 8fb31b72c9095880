/**
 * Hand-written recursive-descent parsers for DynamoDB's expression grammars: conditions (also
 * used for filters and key conditions), update expressions and projections. They build parsed
 * trees (ast.ts) and throw an ExpressionProblem with DynamoDB's syntax-error message.
 * Semantic rules (functions, reserved words, placeholders) are checked later, in resolve.ts,
 * because DynamoDB reports any syntax error before any of those.
 */
import type {
  Comparator, ParsedCondition, ParsedConditionExpression, ParsedOperand, ParsedPath, ParsedPathElement, ParsedUpdate,
  ParsedUpdateAction, UpdateClause,
} from './ast.js'
import { conditionNestingDepthMax, conditionOperatorsMax, functionNestingDepthMax } from './limits.js'
import { tokenize, type Token } from './lexer.js'
import { ExpressionProblem, tooManyOperators } from './problem.js'

const comparators = new Set<string>(['=', '<>', '<', '<=', '>', '>='])
const conditionKeywords = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN'])
const updateClauses = new Set<string>(['SET', 'REMOVE', 'ADD', 'DELETE'])

class TokenStream {
  private position = 0
  private readonly tokens: Token[]

  constructor(private readonly text: string) {
    this.tokens = tokenize(text)
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!
  }

  next(): Token {
    const token = this.peek()
    if (token.kind !== 'end') this.position++
    return token
  }

  previous(): Token | undefined {
    return this.position > 0 ? this.tokens[this.position - 1] : undefined
  }

  isPunctuation(text: string, offset = 0): boolean {
    const token = this.peek(offset)
    return token.kind === 'punctuation' && token.text === text
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset)
    return token.kind === 'name' && token.text.toUpperCase() === word
  }

  expectPunctuation(text: string): void {
    if (!this.isPunctuation(text)) this.fail()
    this.next()
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') this.fail()
  }

  /** Index of the ')' matching the '(' at `offset` from here, or undefined if unbalanced. */
  matchingParenthesisOffset(offset: number): number | undefined {
    let depth = 0
    for (let index = this.position + offset; index < this.tokens.length; index++) {
      const token = this.tokens[index]!
      if (token.kind !== 'punctuation') continue
      if (token.text === '(') depth++
      if (token.text === ')' && --depth === 0) return index - this.position
    }
    return undefined
  }

  /**
   * DynamoDB's syntax error: the offending token, and the text around it from the start of
   * the previous token to the end of the next one ("ADD hits : incr" -> near "hits : incr").
   * With no previous token it starts at the beginning, and with no next one it runs to the
   * end, whitespace included ("  = a" -> near "  = a", "a b  " -> near "a b  ").
   */
  fail(): never {
    const token = this.peek()
    const nearStart = this.previous()?.start ?? 0
    // The 'end' token sits at the end of the text, and peek() never goes past it.
    const nearEnd = this.peek(1).end
    const near = this.text.slice(nearStart, nearEnd)
    throw new ExpressionProblem(`Syntax error; token: "${token.text}", near: "${near}"`)
  }
}

/** Paths, operands and functions: the parts shared by every grammar. */
class ExpressionParser {
  protected readonly tokens: TokenStream
  /** Open parentheses and NOTs around the current position. */
  protected nestingDepth = 0
  /** Function calls around the current position (counted apart: they nest only a little). */
  private functionDepth = 0
  /** NOTs open around the condition being parsed. */
  protected notChain = 0
  redundantParentheses = false

  constructor(text: string, private readonly keywords: ReadonlySet<string>) {
    this.tokens = new TokenStream(text)
  }

  protected enterNesting(): void {
    if (++this.nestingDepth <= conditionNestingDepthMax) return
    // Only absurd inputs get here (DynamoDB allows 300 operators per expression).
    if (this.tokens.isPunctuation('(') && this.tokens.previous()?.text === '(') {
      throw new ExpressionProblem('The expression has redundant parentheses;')
    }
    this.tokens.fail()
  }

  protected leaveNesting(): void {
    this.nestingDepth--
  }

  /** At a '(' : is its content one more parenthesized group, as in `((x))`? */
  protected notesRedundantParentheses(): void {
    if (!this.tokens.isPunctuation('(', 1)) return
    const innerClose = this.tokens.matchingParenthesisOffset(1)
    if (innerClose !== undefined && this.tokens.isPunctuation(')', innerClose + 1)) {
      this.redundantParentheses = true
    }
  }

  private pathName(): ParsedPathElement {
    const token = this.tokens.peek()
    if (token.kind === 'placeholder') {
      this.tokens.next()
      return { kind: 'placeholder', name: token.text }
    }
    if (token.kind === 'name' && !this.keywords.has(token.text.toUpperCase())) {
      this.tokens.next()
      return { kind: 'name', name: token.text }
    }
    return this.tokens.fail()
  }

  /** a, #a, a.b, a[0].#b ... */
  parsePath(): ParsedPath {
    const elements: ParsedPathElement[] = [this.pathName()]
    for (;;) {
      if (this.tokens.isPunctuation('.')) {
        this.tokens.next()
        elements.push(this.pathName())
      } else if (this.tokens.isPunctuation('[')) {
        this.tokens.next()
        const index = this.tokens.peek()
        if (index.kind !== 'integer') this.tokens.fail()
        this.tokens.next()
        this.tokens.expectPunctuation(']')
        elements.push({ kind: 'index', index: Number(index.text), digits: index.text })
      } else {
        return { kind: 'path', elements }
      }
    }
  }

  /** A path, a :value, a function call, or a parenthesized operand. */
  parseOperand(): ParsedOperand {
    const token = this.tokens.peek()
    if (this.tokens.isPunctuation('(')) return this.parseParenthesizedOperand()
    if (token.kind === 'value') {
      this.tokens.next()
      return { kind: 'value', name: token.text }
    }
    if (token.kind === 'name' && this.tokens.isPunctuation('(', 1) &&
        !this.keywords.has(token.text.toUpperCase())) {
      return this.parseFunction()
    }
    return this.parsePath()
  }

  private parseParenthesizedOperand(): ParsedOperand {
    this.enterNesting()
    this.notesRedundantParentheses()
    this.tokens.next()
    const inner = this.parseOperand()
    this.tokens.expectPunctuation(')')
    this.leaveNesting()
    return inner
  }

  private parseFunction(): ParsedOperand {
    if (++this.functionDepth > functionNestingDepthMax) this.tokens.fail()
    const name = this.tokens.next().text
    this.tokens.expectPunctuation('(')
    const args = [this.parseOperand()]
    while (this.tokens.isPunctuation(',')) {
      this.tokens.next()
      args.push(this.parseOperand())
    }
    this.tokens.expectPunctuation(')')
    this.functionDepth--
    return { kind: 'function', name, args }
  }
}

class ConditionParser extends ExpressionParser {
  constructor(text: string) {
    super(text, conditionKeywords)
  }

  parseExpression(): ParsedConditionExpression {
    const condition = this.parseOr()
    this.tokens.expectEnd()
    return { condition, redundantParentheses: this.redundantParentheses }
  }

  private parseOr(): ParsedCondition {
    let left = this.parseAnd()
    while (this.tokens.isKeyword('OR')) {
      this.tokens.next()
      left = { kind: 'or', left, right: this.parseAnd() }
    }
    return left
  }

  private parseAnd(): ParsedCondition {
    let left = this.parseNot()
    while (this.tokens.isKeyword('AND')) {
      this.tokens.next()
      left = { kind: 'and', left, right: this.parseNot() }
    }
    return left
  }

  private parseNot(): ParsedCondition {
    if (!this.tokens.isKeyword('NOT')) return this.parsePrimary()
    // A chain of more NOTs than an expression may hold operators is too many operators (as
    // DynamoDB answers it), before it is too deep to parse.
    if (++this.notChain > conditionOperatorsMax) throw tooManyOperators()
    this.enterNesting()
    this.tokens.next()
    const condition = this.parseNot()
    this.leaveNesting()
    this.notChain--
    return { kind: 'not', condition }
  }

  /**
   * A '(' opens either a parenthesized condition or a parenthesized operand (`(a) = :v`);
   * what follows the matching ')' tells which.
   */
  private parsePrimary(): ParsedCondition {
    if (this.tokens.isPunctuation('(')) {
      const close = this.tokens.matchingParenthesisOffset(0)
      if (close === undefined || !this.startsComparison(close + 1)) return this.parseGroup()
    }
    return this.parseComparison()
  }

  private startsComparison(offset: number): boolean {
    const token = this.tokens.peek(offset)
    return (token.kind === 'punctuation' && comparators.has(token.text)) ||
      this.tokens.isKeyword('BETWEEN', offset) || this.tokens.isKeyword('IN', offset)
  }

  private parseGroup(): ParsedCondition {
    this.enterNesting()
    this.notesRedundantParentheses()
    this.tokens.next()
    const condition = this.parseOr()
    this.tokens.expectPunctuation(')')
    this.leaveNesting()
    return condition
  }

  private parseComparison(): ParsedCondition {
    const operand = this.parseOperand()
    const token = this.tokens.peek()
    if (token.kind === 'punctuation' && comparators.has(token.text)) {
      this.tokens.next()
      return { kind: 'compare', comparator: token.text as Comparator, left: operand, right: this.parseOperand() }
    }
    if (this.tokens.isKeyword('BETWEEN')) {
      this.tokens.next()
      const low = this.parseOperand()
      if (!this.tokens.isKeyword('AND')) this.tokens.fail()
      this.tokens.next()
      return { kind: 'between', operand, low, high: this.parseOperand() }
    }
    if (this.tokens.isKeyword('IN')) return this.parseIn(operand)
    if (operand.kind === 'function') return { kind: 'function', name: operand.name, args: operand.args }
    return this.tokens.fail()
  }

  /** The candidate count is bounded by the token count; resolve.ts enforces DynamoDB's 100. */
  private parseIn(operand: ParsedOperand): ParsedCondition {
    this.tokens.next()
    this.tokens.expectPunctuation('(')
    const candidates = [this.parseOperand()]
    while (this.tokens.isPunctuation(',')) {
      this.tokens.next()
      candidates.push(this.parseOperand())
    }
    this.tokens.expectPunctuation(')')
    return { kind: 'in', operand, candidates }
  }
}

class UpdateParser extends ExpressionParser {
  constructor(text: string) {
    super(text, updateClauses)
  }

  parseExpression(): ParsedUpdate {
    const actions: ParsedUpdateAction[] = []
    const clauses: UpdateClause[] = []
    do {
      const clause = this.tokens.peek().text.toUpperCase()
      if (this.tokens.peek().kind !== 'name' || !updateClauses.has(clause)) this.tokens.fail()
      this.tokens.next()
      clauses.push(clause as UpdateClause)
      actions.push(this.parseAction(clause as UpdateClause))
      while (this.tokens.isPunctuation(',')) {
        this.tokens.next()
        actions.push(this.parseAction(clause as UpdateClause))
      }
    } while (this.tokens.peek().kind !== 'end')
    return { actions, clauses }
  }

  private parseAction(clause: UpdateClause): ParsedUpdateAction {
    const path = this.parsePath()
    if (clause === 'REMOVE') return { kind: 'REMOVE', path }
    if (clause === 'SET') {
      this.tokens.expectPunctuation('=')
      return { kind: 'SET', path, value: this.parseSetValue() }
    }
    const token = this.tokens.peek()
    if (token.kind !== 'value') this.tokens.fail()
    this.tokens.next()
    return { kind: clause, path, value: { kind: 'value', name: token.text } }
  }

  /**
   * operand, operand + operand, or operand - operand (no chains: `a + b + c` is an error),
   * possibly in parentheses: `SET c = (c - :v)` (an AWS-validated suite's "SET evaluation
   * semantics"). A loop, not recursion, strips the parentheses.
   */
  private parseSetValue(): ParsedOperand {
    let parentheses = 0
    while (this.tokens.isPunctuation('(')) {
      this.tokens.next()
      parentheses++
    }
    let value = this.parseOperand()
    if (this.tokens.isPunctuation('+') || this.tokens.isPunctuation('-')) {
      const operator = this.tokens.next().text as '+' | '-'
      value = { kind: 'arithmetic', operator, left: value, right: this.parseOperand() }
    }
    for (; parentheses > 0; parentheses--) this.tokens.expectPunctuation(')')
    return value
  }
}

class ProjectionParser extends ExpressionParser {
  constructor(text: string) {
    super(text, new Set())
  }

  parseExpression(): ParsedPath[] {
    const paths = [this.parsePath()]
    while (this.tokens.isPunctuation(',')) {
      this.tokens.next()
      paths.push(this.parsePath())
    }
    this.tokens.expectEnd()
    return paths
  }
}

export function parseCondition(text: string): ParsedConditionExpression {
  return new ConditionParser(text).parseExpression()
}

export function parseUpdate(text: string): ParsedUpdate {
  return new UpdateParser(text).parseExpression()
}

export function parseProjection(text: string): ParsedPath[] {
  return new ProjectionParser(text).parseExpression()
}
