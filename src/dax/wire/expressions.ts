/**
 * DAX clients parse expressions themselves and send them pre-parsed: a byte string wrapping
 * [1, spec, [value0, value1, ...]] (projections: [1, spec]), where spec is an S-expression of
 * [functionCode, ...arguments] nodes and names are already substituted. We turn each back into
 * DynamoDB expression text with fresh #name and :value placeholders, so the executor (this
 * server's operations, or any DynamoDB endpoint upstream) sees an ordinary request.
 */
import { ValidationException } from '../../errors.js'
import { checkPathClashes, ProblemCollector } from '../../expressions/resolve.js'
import type { AttributeValue } from '../../values/types.js'
import { attributeValueFromCbor, tagDocumentPathOrdinal, WireFormatError } from './attribute-values.js'
import { CborReader, CborTag, type CborValue } from './cbor.js'

const expressionFormatVersion = 1
/** Far deeper than any expression DynamoDB accepts (its limit is 4 KB of text). */
const expressionDepthMax = 100
/** DynamoDB paths have at most 32 levels. */
const pathElementsMax = 64

const comparatorSymbols = ['=', '<>', '<', '>=', '>', '<=']
const enum Code {
  And = 6, Or = 7, Not = 8, Between = 9, In = 10,
  AttributeExists = 11, AttributeNotExists = 12, AttributeType = 13, BeginsWith = 14, Contains = 15, Size = 16,
  Variable = 17, Path = 18, Set = 19, Add = 20, Delete = 21, Remove = 22,
  IfNotExists = 23, ListAppend = 24, Plus = 25, Minus = 26,
}
const functionNames: Record<number, string> = {
  [Code.AttributeExists]: 'attribute_exists',
  [Code.AttributeNotExists]: 'attribute_not_exists',
  [Code.AttributeType]: 'attribute_type',
  [Code.BeginsWith]: 'begins_with',
  [Code.Contains]: 'contains',
  [Code.Size]: 'size',
  [Code.IfNotExists]: 'if_not_exists',
  [Code.ListAppend]: 'list_append',
}

/** One element of a document path: a map key or a list index. */
export type PathElement = string | number
export type DocumentPath = PathElement[]

/**
 * The placeholders of one request. Names are shared by all of its expressions; each expression
 * gets its own value prefix, because each carries its own value list.
 */
export class ExpressionPlaceholders {
  readonly names: Record<string, string> = {}
  readonly values: Record<string, AttributeValue> = {}
  readonly #placeholderByName = new Map<string, string>()

  name(attributeName: string): string {
    let placeholder = this.#placeholderByName.get(attributeName)
    if (placeholder === undefined) {
      placeholder = `#n${this.#placeholderByName.size}`
      this.#placeholderByName.set(attributeName, placeholder)
      this.names[placeholder] = attributeName
    }
    return placeholder
  }

  /** Adds what was used to a DynamoDB request (only when something was). */
  applyTo(request: Record<string, unknown>): void {
    if (Object.keys(this.names).length > 0) request.ExpressionAttributeNames = this.names
    if (Object.keys(this.values).length > 0) request.ExpressionAttributeValues = this.values
  }
}

export type ExpressionKind = 'condition' | 'keyCondition' | 'filter' | 'update'
const valuePrefixes: Record<ExpressionKind, string> = { condition: 'c', keyCondition: 'k', filter: 'f', update: 'u' }

/** Condition, key-condition, filter or update expression bytes → expression text. */
export function expressionText(bytes: Buffer, kind: ExpressionKind, placeholders: ExpressionPlaceholders): string {
  const envelope = readEnvelope(bytes, 3)
  const values = envelope[2]
  if (!Array.isArray(values)) throw new WireFormatError('expression values must be an array')
  const translator = new Translator(placeholders, values, valuePrefixes[kind])
  return kind === 'update' ? translator.update(envelope[1]) : translator.condition(envelope[1], 0)
}

/**
 * The paths of a projection expression, in the client's order (it numbers them from 0). Two that
 * overlap or conflict are refused here in DynamoDB's words: the executor sees only their top-level
 * attributes (applyKwargs), where the clash no longer shows.
 */
export function projectionPaths(bytes: Buffer): DocumentPath[] {
  const spec = readEnvelope(bytes, 2)[1]
  if (!Array.isArray(spec)) throw new WireFormatError('projection must be an array of paths')
  const paths = spec.map(pathFromNode)
  if (paths.length < 2) return paths // a read's hot path: one path clashes with nothing
  const problems = new ProblemCollector<'overlap' | 'conflict'>(['overlap', 'conflict'])
  checkPathClashes(paths, problems, 'overlap', 'conflict')
  const problem = problems.first()
  if (problem !== undefined) throw new ValidationException(`Invalid ProjectionExpression: ${problem}`)
  return paths
}

/** A projection text naming only the top-level attributes of the paths: see the caller's why. */
export function topLevelProjection(paths: DocumentPath[], placeholders: ExpressionPlaceholders): string {
  const tops = new Set(paths.map((path) => path[0] as string))
  return [...tops].map((name) => placeholders.name(name)).join(', ')
}

function readEnvelope(bytes: Buffer, length: number): CborValue[] {
  const envelope = new CborReader(bytes).read()
  if (!Array.isArray(envelope) || envelope.length !== length || envelope[0] !== expressionFormatVersion) {
    throw new WireFormatError('unsupported expression encoding')
  }
  return envelope
}

function pathFromNode(node: CborValue): DocumentPath {
  if (!Array.isArray(node) || node[0] !== Code.Path || node.length < 2 || node.length > pathElementsMax + 1) {
    throw new WireFormatError('expected a document path')
  }
  const path: DocumentPath = []
  node.slice(1).forEach((element, index) => {
    if (typeof element === 'string') path.push(element)
    else if (index > 0 && element instanceof CborTag && element.tag === tagDocumentPathOrdinal && typeof element.value === 'number') path.push(element.value)
    else throw new WireFormatError('bad document path element')
  })
  return path
}

class Translator {
  readonly #used = new Set<number>()

  constructor(readonly placeholders: ExpressionPlaceholders, readonly valueList: CborValue[], readonly prefix: string) {}

  condition(node: CborValue, depth: number): string {
    const [code, ...args] = this.#node(node, depth)
    if (code >= 0 && code <= 5) return `${this.operand(args[0], depth + 1)} ${comparatorSymbols[code]} ${this.operand(args[1], depth + 1)}`
    switch (code) {
      case Code.And:
      case Code.Or:
        return `${this.#grouped(args[0], depth)} ${code === Code.And ? 'AND' : 'OR'} ${this.#grouped(args[1], depth)}`
      case Code.Not: return `NOT ${this.#grouped(args[0], depth)}`
      case Code.Between:
        return `${this.operand(args[0], depth + 1)} BETWEEN ${this.operand(args[1], depth + 1)} AND ${this.operand(args[2], depth + 1)}`
      case Code.In: {
        const list = args[1]
        if (!Array.isArray(list) || list.length === 0) throw new WireFormatError('IN needs a list of operands')
        return `${this.operand(args[0], depth + 1)} IN (${list.map((element) => this.operand(element, depth + 1)).join(', ')})`
      }
      default: return this.#functionCall(code, args, depth)
    }
  }

  /** Parenthesizes compound conditions so the text keeps the tree's grouping. */
  #grouped(node: CborValue, depth: number): string {
    const text = this.condition(node, depth + 1)
    const code = Array.isArray(node) ? node[0] : undefined
    return code === Code.And || code === Code.Or || code === Code.Not ? `(${text})` : text
  }

  operand(node: CborValue, depth: number): string {
    const [code, ...args] = this.#node(node, depth)
    switch (code) {
      case Code.Path: return this.path(node)
      case Code.Variable: return this.#variable(args[0])
      case Code.Plus:
      case Code.Minus:
        return `${this.operand(args[0], depth + 1)} ${code === Code.Plus ? '+' : '-'} ${this.operand(args[1], depth + 1)}`
      default: return this.#functionCall(code, args, depth)
    }
  }

  #functionCall(code: number, args: CborValue[], depth: number): string {
    const name = functionNames[code]
    if (name === undefined || args.length === 0) throw new WireFormatError(`unknown expression function ${code}`)
    return `${name}(${args.map((arg) => this.operand(arg, depth + 1)).join(', ')})`
  }

  path(node: CborValue): string {
    return pathFromNode(node)
      .map((element, index) => typeof element === 'number' ? `[${element}]` : (index > 0 ? '.' : '') + this.placeholders.name(element))
      .join('')
  }

  #variable(index: CborValue): string {
    if (typeof index !== 'number' || index < 0 || index >= this.valueList.length) {
      throw new WireFormatError('expression refers to a value it does not carry')
    }
    const placeholder = `:${this.prefix}${index}`
    if (!this.#used.has(index)) {
      this.#used.add(index)
      this.placeholders.values[placeholder] = attributeValueFromCbor(this.valueList[index])
    }
    return placeholder
  }

  #node(node: CborValue, depth: number): [number, ...CborValue[]] {
    if (depth > expressionDepthMax) throw new WireFormatError('expression is nested too deeply')
    if (!Array.isArray(node) || typeof node[0] !== 'number') throw new WireFormatError('malformed expression node')
    return node as [number, ...CborValue[]]
  }

  /** An update spec: a list of SET/ADD/DELETE/REMOVE actions, grouped into clauses. */
  update(spec: CborValue): string {
    if (!Array.isArray(spec) || spec.length === 0) throw new WireFormatError('update expression must be a list of actions')
    const clauses = new Map<string, string[]>()
    for (const action of spec) {
      const [code, ...args] = this.#node(action, 0)
      const [keyword, text] = this.#action(code, args)
      const list = clauses.get(keyword) ?? []
      list.push(text)
      clauses.set(keyword, list)
    }
    return [...clauses].map(([keyword, actions]) => `${keyword} ${actions.join(', ')}`).join(' ')
  }

  #action(code: number, args: CborValue[]): [string, string] {
    switch (code) {
      case Code.Set: return ['SET', `${this.path(args[0])} = ${this.operand(args[1], 1)}`]
      case Code.Add: return ['ADD', `${this.path(args[0])} ${this.operand(args[1], 1)}`]
      case Code.Delete: return ['DELETE', `${this.path(args[0])} ${this.operand(args[1], 1)}`]
      case Code.Remove: return ['REMOVE', this.path(args[0])]
      default: throw new WireFormatError(`unknown update action ${code}`)
    }
  }
}
