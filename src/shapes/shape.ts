/**
 * The declarative model of an operation's input: which JSON type each member must have
 * (checked first, failing as SerializationException) and which declarative constraints it must
 * meet (checked second, reported together as one ValidationException). Mirrors the Smithy/Coral
 * model DynamoDB itself validates against, including its Java type names, which leak into the
 * SerializationException messages.
 */

/** A regular expression constraint, compiled once when the shape module loads. */
export interface Pattern {
  /** The pattern as DynamoDB prints it in "Member must satisfy regular expression pattern: …". */
  readonly source: string
  readonly anchored: RegExp
}

export function pattern(source: string): Pattern {
  return { source, anchored: new RegExp(`^(?:${source})$`) }
}

/** Constraints on one member, checked in this order (DynamoDB's order within a member). */
export interface Constraints {
  readonly notNull?: true
  readonly pattern?: Pattern
  readonly lengthMin?: number
  /**
   * A longer minimum for a non-empty string, reported in lengthMin's words: a data-plane TableName
   * declares 1 (it may be an ARN in DynamoDB), but a name still needs 3 characters.
   */
  readonly nonEmptyLengthMin?: number
  /**
   * A table-name member: a value in ARN form ('arn:…') is a table's ARN, checked when the request
   * runs (src/tables/table-name-arns.ts), not against the name's pattern and lengths.
   */
  readonly tableArnAllowed?: true
  readonly lengthMax?: number
  readonly valueMin?: number
  readonly valueMax?: number
  readonly enum?: readonly string[]
  /**
   * The enum as DynamoDB's newer validation lists it; a value outside `enum` is then reported in
   * that validation's words, which name neither the value nor the member (newerEnumViolation).
   */
  readonly newerEnum?: readonly string[]
  /**
   * How a violation echoes the value: as JSON, as the request sent it, instead of the Java-style
   * rendering (BatchGetItem's RequestItems; an AWS-validated suite, us-east-1 and eu-west-2).
   */
  readonly echoAsJson?: true
  /**
   * How a violation echoes the value: as DynamoDB's newer model classes print themselves,
   * "WriteRequest(putRequest=PutRequest(item={…}, …), deleteRequest=null)" (render.ts,
   * renderFields; BatchWriteItem's RequestItems and CreateTable's KeySchema in an AWS-validated
   * suite's cross-region capture, 2026).
   */
  readonly echoAsFields?: true
}

/** Constraints on every key (or value) of a map, reported as one "Map keys must satisfy…" line. */
export interface MapEntryConstraints {
  /** Kept in the order DynamoDB lists them inside the brackets. */
  readonly rules: readonly MapEntryRule[]
  /** Keys are table names, and a key in ARN form is a table's ARN (see Constraints.tableArnAllowed). */
  readonly tableArnKeysAllowed?: true
}

export type MapEntryRule =
  | { readonly kind: 'lengthMax'; readonly limit: number }
  | { readonly kind: 'lengthMin'; readonly limit: number }
  | { readonly kind: 'pattern'; readonly pattern: Pattern }

export type ScalarKind = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Blob' | 'Timestamp'

export interface ScalarShape extends Constraints {
  readonly kind: ScalarKind
}

export interface ListShape extends Constraints {
  readonly kind: 'List'
  readonly member: Shape
}

export interface MapShape extends Constraints {
  readonly kind: 'Map'
  readonly value: Shape
  readonly keyConstraints?: MapEntryConstraints
  readonly valueConstraints?: MapEntryConstraints
}

export interface StructureShape extends Constraints {
  readonly kind: 'Structure'
  /** The Java class name DynamoDB prints, e.g. 'KeysAndAttributes'. */
  readonly name: string
  /** Member order is the order DynamoDB reports constraint violations in. */
  readonly members: { readonly [member: string]: Shape }
}

export type Shape = ScalarShape | ListShape | MapShape | StructureShape

export const string = (constraints: Constraints = {}): ScalarShape => ({ kind: 'String', ...constraints })
export const boolean = (constraints: Constraints = {}): ScalarShape => ({ kind: 'Boolean', ...constraints })
export const integer = (constraints: Constraints = {}): ScalarShape => ({ kind: 'Integer', ...constraints })
export const long = (constraints: Constraints = {}): ScalarShape => ({ kind: 'Long', ...constraints })
export const blob = (constraints: Constraints = {}): ScalarShape => ({ kind: 'Blob', ...constraints })
/** A point in time: epoch seconds as a JSON number, fraction kept (restore and backup times). */
export const timestamp = (constraints: Constraints = {}): ScalarShape => ({ kind: 'Timestamp', ...constraints })

export function list(member: Shape, constraints: Constraints = {}): ListShape {
  return { kind: 'List', member, ...constraints }
}

export function map(
  value: Shape,
  constraints: Constraints & { keyConstraints?: MapEntryConstraints; valueConstraints?: MapEntryConstraints } = {},
): MapShape {
  return { kind: 'Map', value, ...constraints }
}

export function structure(
  name: string,
  members: { [member: string]: Shape },
  constraints: Constraints = {},
): StructureShape {
  return { kind: 'Structure', name, members, ...constraints }
}

/** The same shape with extra constraints for one particular use (e.g. a required Key). */
export function withConstraints<S extends Shape>(shape: S, constraints: Constraints): S {
  return { ...shape, ...constraints }
}

/** How DynamoDB names a shape's Java type in "Unrecognized collection type …" messages. */
export function javaTypeName(shape: Shape): string {
  switch (shape.kind) {
    case 'String': return 'java.lang.String'
    case 'Boolean': return 'java.lang.Boolean'
    case 'Integer': return 'java.lang.Integer'
    case 'Long': return 'java.lang.Long'
    case 'Blob': return 'java.nio.ByteBuffer'
    case 'Timestamp': return 'java.util.Date'
    case 'Structure': return `com.amazonaws.dynamodb.v20120810.${shape.name}`
    case 'List': return `java.util.List<${javaTypeName(shape.member)}>`
    case 'Map': return `java.util.Map<java.lang.String, ${javaTypeName(shape.value)}>`
  }
}

/** A check made before the constraint list: the message to report instead, or undefined. */
export type FirstCheck = (input: Record<string, unknown>, shape: StructureShape) => string | undefined

/**
 * One operation's validation: the input shape, an optional pre-check DynamoDB runs before the
 * declarative constraints (the control plane's TableName rule), and the cross-field checks run
 * after them. A check returns the ValidationException message, or undefined when it passes.
 * `Input` is the type a body has once it passes (src/validate/index.ts); the registry
 * (src/api/operation.ts) gives the operation's handler exactly that type.
 */
export interface OperationShape<Input> {
  readonly input: StructureShape
  /**
   * A check DynamoDB makes before the constraint list, on input whose JSON types are right but
   * whose constraints are not yet checked; what it finds is reported instead of the constraint
   * list (the control plane's TableName check and the single-item writes' newer validation,
   * validate/first-checks.ts, and Query's QueryFilter operator).
   */
  readonly firstCheck?: FirstCheck
  readonly check?: (input: Input) => string | undefined
  /**
   * PutItem, UpdateItem and DeleteItem report a failed check inside the "1 validation error
   * detected: " envelope (an AWS-validated suite's valueLayers and "request validation envelope"
   * cases, four regions, 2026-10-09).
   */
  readonly envelopeChecks?: true
  /** Which of DynamoDB's two value-checking layers words the check's value problems. */
  readonly valueLayer?: 'current'
  /**
   * Type only, never set: makes `Input` invariant, so a handler that expects more than the shape
   * proves does not compile (`check` alone would let it widen).
   */
  readonly proves?: (input: Input) => Input
}

/** Declares an operation's shape and the input type its validation proves. */
export function operation<Input>(shape: OperationShape<Input>): OperationShape<Input> {
  return shape
}
