/**
 * A parsed PartiQL statement. Parameters (`?`) are bound while parsing, so every value in the
 * tree is already a concrete AttributeValue.
 */
import type { AttributeValue } from '../values/types.js'

export interface Path {
  kind: 'path'
  /** Attribute names and list indexes, outermost first. */
  steps: Array<string | number>
}

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>='

export type Operand =
  | Path
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path }

export type ConditionFunction = 'begins_with' | 'contains' | 'attribute_type'

export type Condition =
  | { kind: 'compare'; comparator: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; candidates: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'is'; path: Path; test: 'MISSING' | 'NULL'; negated: boolean }
  | { kind: 'function'; name: ConditionFunction; path: Path; argument: Operand }

export type UpdateValue =
  | Operand
  | { kind: 'arithmetic'; operator: '+' | '-'; left: Operand; right: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: UpdateValue }
  | { kind: 'REMOVE'; path: Path }
  /** set_add and set_delete: DynamoDB's ADD and DELETE of set elements. */
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue }

/** RETURNING in UPDATE and DELETE, spelled as the UpdateItem/DeleteItem ReturnValues it means. */
export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'

export interface OrderBy { path: Path; descending: boolean }

export interface SelectStatement {
  kind: 'select'
  table: string
  index?: string
  /** Undefined for `*`. */
  projection?: Path[]
  /**
   * Where the projection calls a function ("1:8:16"): DynamoDB parses the call and refuses it
   * ("Unexpected path component at …") only after the table and index checks. The call is left
   * out of `projection`.
   */
  projectionCallAt?: string
  where?: Condition
  orderBy: OrderBy[]
}

export interface InsertStatement { kind: 'insert'; table: string; item: AttributeValue }

export interface UpdateStatement {
  kind: 'update'
  table: string
  actions: UpdateAction[]
  where: Condition
  returning?: Returning
  /** An index qualifier: parsed, then refused when the statement runs. */
  index?: string
}

export interface DeleteStatement { kind: 'delete'; table: string; index?: string; where: Condition; returning?: Returning }

/** `EXISTS(SELECT ...)`: a condition check, only inside ExecuteTransaction. */
export interface ExistsStatement { kind: 'exists'; select: SelectStatement }

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement
