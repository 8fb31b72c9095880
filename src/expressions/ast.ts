/**
 * The expression trees. Parsing produces "parsed" trees that still hold #name and :value
 * placeholders as written; resolution (resolve.ts) turns them into the resolved trees that the
 * rest of EddyDB uses: DocumentPaths of real attribute names and AttributeValues.
 * Parsed trees are immutable and shared through the parse cache.
 */
import type { AttributeType, AttributeValue } from '../values/types.js'

/** A resolved document path: attribute names and list indexes, outermost first. */
export type DocumentPath = Array<string | number>

/** One element of a path as written: a bare name, a #placeholder, or a list index. */
export type ParsedPathElement =
  | { kind: 'name'; name: string }
  | { kind: 'placeholder'; name: string }
  | { kind: 'index'; index: number; digits: string }  // digits as written, for the range error

export interface ParsedPath { kind: 'path'; elements: ParsedPathElement[] }

export type ParsedOperand =
  | ParsedPath
  | { kind: 'value'; name: string }
  | { kind: 'function'; name: string; args: ParsedOperand[] }
  | { kind: 'arithmetic'; operator: '+' | '-'; left: ParsedOperand; right: ParsedOperand }

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>='

export type ParsedCondition =
  | { kind: 'compare'; comparator: Comparator; left: ParsedOperand; right: ParsedOperand }
  | { kind: 'between'; operand: ParsedOperand; low: ParsedOperand; high: ParsedOperand }
  | { kind: 'in'; operand: ParsedOperand; candidates: ParsedOperand[] }
  | { kind: 'and' | 'or'; left: ParsedCondition; right: ParsedCondition }
  | { kind: 'not'; condition: ParsedCondition }
  | { kind: 'function'; name: string; args: ParsedOperand[] }

export interface ParsedConditionExpression {
  condition: ParsedCondition
  /** `((x))` parses, but DynamoDB then rejects it ("The expression has redundant parentheses;"). */
  redundantParentheses: boolean
}

export type UpdateClause = 'SET' | 'REMOVE' | 'ADD' | 'DELETE'

export type ParsedUpdateAction =
  | { kind: 'SET'; path: ParsedPath; value: ParsedOperand }
  | { kind: 'REMOVE'; path: ParsedPath }
  | { kind: 'ADD' | 'DELETE'; path: ParsedPath; value: ParsedOperand }

export interface ParsedUpdate {
  actions: ParsedUpdateAction[]
  /** Clauses in the order written, repeats included (a repeat is a semantic error). */
  clauses: UpdateClause[]
}

// ---- Resolved trees ----

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand }
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arithmetic'; operator: '+' | '-'; left: Operand; right: Operand }

export type Condition =
  | { kind: 'compare'; comparator: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; candidates: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: DocumentPath }
  /** The operand is usually a path; DynamoDB also takes a value (Alternator's test_update_condition_attribute_type). */
  | { kind: 'attribute_type'; operand: Operand; type: AttributeType }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; element: Operand }

export type UpdateAction =
  | { kind: 'SET'; path: DocumentPath; value: Operand }
  | { kind: 'REMOVE'; path: DocumentPath }
  /** ADD of a number or a set; `legacy` marks AttributeUpdates, whose type errors read differently. */
  | { kind: 'ADD'; path: DocumentPath; value: AttributeValue }
  | { kind: 'DELETE'; path: DocumentPath; value: AttributeValue }

export interface UpdatePlan {
  actions: UpdateAction[]
  /** AttributeUpdates (legacy) report type mismatches with their own message. */
  legacy?: boolean
}

export interface Projection { paths: DocumentPath[] }
