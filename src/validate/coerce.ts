/**
 * Step 1 of validation: JSON types against the operation's shape. DynamoDB deserializes the body
 * into Java objects before anything else, so a wrong type fails as a SerializationException whose
 * message comes from its Java JSON reader. The first mismatch in document order wins.
 *
 * The body is normalized in place, as DynamoDB's deserializer would: members set to null are
 * removed (null means absent), members the shape does not know are removed (DynamoDB ignores
 * them, and later checks must never read an unchecked value), and Integer/Long members are
 * truncated to whole numbers.
 */
import { SerializationException, ValidationException } from '../errors.js'
import { attributeValue } from '../shapes/common.js'
import { javaTypeName, type ListShape, type MapShape, type Shape, type StructureShape } from '../shapes/shape.js'
import { base64Problem, nestingMessage } from '../values/attribute-value.js'

/**
 * Bounds recursion on nested input. Each nested AttributeValue costs two levels (the M or L
 * container and the value inside), so this sits well past DynamoDB's own limit of 32 nested
 * values, which attributeValueProblem reports precisely later on, in its place among the other
 * checks: DynamoDB reports an enum, a name or an expression problem ahead of a value nested 100
 * levels deep (an AWS-validated suite's deepRequests cases), so such a value must get that far.
 */
export const inputNestingDepthMax = 1000

type Position = 'field' | 'element'

const startOfStructure = 'Start of structure or map found where not expected'
const unexpectedField = 'Unexpected field type'
const unexpectedValue = 'Unexpected value type in payload'
// DynamoDB quirk: a scalar where a nested list or map (a generic type) is expected leaks a Java
// reflection error.
const parameterizedTypeCast =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  '(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base ' +
  "of loader 'bootstrap')"

/** Checks and normalizes a request body; returns the object to validate further. */
export function coerceInput(body: unknown, shape: StructureShape): Record<string, unknown> {
  if (body === undefined || body === null) return {}
  if (Array.isArray(body)) throw serializationError(`Unrecognized collection type class ${javaTypeName(shape)}`)
  if (typeof body !== 'object') throw serializationError(unexpectedField)
  const input = body as Record<string, unknown>
  try {
    coerceMembers(input, shape, 0)
  } catch (error) {
    if (!(error instanceof NullMemberFound)) throw error
    // Found on the way; the path is worked out only now, so valid requests never build one.
    const path = pathOfNullMember(input, shape, '') ?? ''
    throw new ValidationException(
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`)
  }
  return input
}

/**
 * A null element of a list (TransactItems: [null], SS: ['a', null], TagKeys: [null]), or a null
 * value of a map, that no later check would reject: DynamoDB's deserializer keeps the null and
 * its validator rejects it as "Member must not be null". Null AttributeValues are left to the
 * AttributeValue checks ("Supplied AttributeValue is empty"), and null values of a map with value
 * constraints to the constraint step, which reports them as DynamoDB does.
 */
function isRejectedNull(container: ListShape | MapShape): boolean {
  const element = container.kind === 'List' ? container.member : container.value
  if (element === attributeValue) return false
  return container.kind === 'List' || container.valueConstraints === undefined
}

class NullMemberFound extends Error {}

/** The constraint path ('transactItems.1.member') of the first null isRejectedNull rejects. */
function pathOfNullMember(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const child = (member: unknown, memberShape: Shape, memberPath: string): string | undefined =>
    member === null ? memberPath : pathOfNullMember(member, memberShape, memberPath)
  switch (shape.kind) {
    case 'List':
    case 'Map': {
      const elementShape = shape.kind === 'List' ? shape.member : shape.value
      const entries = Object.entries(value)
      for (const [key, member] of entries) {
        const memberPath = `${path}.${shape.kind === 'List' ? Number(key) + 1 : key}.member`
        if (member === null && !isRejectedNull(shape)) continue
        const found = child(member, elementShape, memberPath)
        if (found !== undefined) return found
      }
      return undefined
    }
    case 'Structure':
      for (const member in value) {
        if (!Object.hasOwn(shape.members, member)) continue
        const memberValue = (value as Record<string, unknown>)[member]
        if (memberValue === null) continue
        const memberPath = (path ? `${path}.` : '') + member[0]!.toLowerCase() + member.slice(1)
        const found = pathOfNullMember(memberValue, shape.members[member]!, memberPath)
        if (found !== undefined) return found
      }
      return undefined
    default:
      return undefined
  }
}

function coerceMembers(object: Record<string, unknown>, shape: StructureShape, depth: number): void {
  for (const member in object) {
    const value = object[member]
    if (value === null || !Object.hasOwn(shape.members, member)) {
      delete object[member]
      continue
    }
    const coerced = coerceValue(value, shape.members[member]!, 'field', depth)
    if (coerced !== value) object[member] = coerced
  }
}

function coerceValue(value: unknown, shape: Shape, position: Position, depth: number): unknown {
  if (value === null) return value
  switch (shape.kind) {
    case 'String': return coerceString(value)
    case 'Boolean': return coerceBoolean(value)
    case 'Integer':
    case 'Long': return coerceWholeNumber(value, shape.kind)
    case 'Blob': return coerceBlob(value)
    case 'Timestamp': return coerceTimestamp(value)
    case 'List':
      if (!Array.isArray(value)) {
        if (typeof value === 'object') throw serializationError(startOfStructure)
        throw serializationError(position === 'field' ? unexpectedField : parameterizedTypeCast)
      }
      checkDepth(depth)
      for (let index = 0; index < value.length; index++) {
        if (value[index] === null && isRejectedNull(shape)) throw new NullMemberFound()
        const coerced = coerceValue(value[index], shape.member, 'element', depth + 1)
        if (coerced !== value[index]) value[index] = coerced
      }
      return value
    case 'Map': {
      if (Array.isArray(value)) throw serializationError(`Unrecognized collection type ${javaTypeName(shape)}`)
      if (typeof value !== 'object') {
        throw serializationError(position === 'field' ? unexpectedField : parameterizedTypeCast)
      }
      checkDepth(depth)
      const entries = value as Record<string, unknown>
      for (const key in entries) {
        if (entries[key] === null && isRejectedNull(shape)) throw new NullMemberFound()
        const coerced = coerceValue(entries[key], shape.value, 'element', depth + 1)
        if (coerced !== entries[key]) entries[key] = coerced
      }
      return value
    }
    case 'Structure':
      if (Array.isArray(value)) {
        throw serializationError(`Unrecognized collection type class ${javaTypeName(shape)}`)
      }
      if (typeof value !== 'object') {
        throw serializationError(position === 'field' ? unexpectedField : unexpectedValue)
      }
      checkDepth(depth)
      coerceMembers(value as Record<string, unknown>, shape, depth + 1)
      return value
  }
}

function coerceString(value: unknown): unknown {
  if (typeof value === 'string') return value
  throw serializationError(scalarMismatch(value, 'String'))
}

function coerceBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') throw serializationError('Unexpected token received from parser')
  throw serializationError(scalarMismatch(value, 'Boolean'))
}

function coerceWholeNumber(value: unknown, kind: 'Integer' | 'Long'): unknown {
  if (typeof value === 'number') return Math.trunc(value)
  if (typeof value === 'string') throw serializationError(`STRING_VALUE cannot be converted to ${kind}`)
  throw serializationError(scalarMismatch(value, kind))
}

function coerceTimestamp(value: unknown): unknown {
  if (typeof value === 'number') return value
  throw serializationError(scalarMismatch(value, 'Date'))
}

function coerceBlob(value: unknown): unknown {
  if (typeof value === 'boolean' || typeof value === 'number') {
    throw serializationError('only base-64-encoded strings are convertible to bytes')
  }
  if (typeof value !== 'string') throw serializationError(scalarMismatch(value, 'ByteBuffer'))
  const problem = base64Problem(value)
  if (problem) throw serializationError(problem)
  return value
}

/** The message for a JSON scalar, list or object where a Java scalar type is expected. */
function scalarMismatch(value: unknown, javaType: string): string {
  if (Array.isArray(value)) {
    const javaPackage = javaType === 'ByteBuffer' ? 'java.nio' : 'java.lang'
    return `Unrecognized collection type class ${javaPackage}.${javaType}`
  }
  if (typeof value === 'object') return startOfStructure
  if (typeof value === 'boolean') return `${value ? 'TRUE' : 'FALSE'}_VALUE cannot be converted to ${javaType}`
  if (typeof value === 'number') {
    // JSON.parse forgets how a number was written, so 1.0 counts as NUMBER_VALUE here.
    return `${Number.isInteger(value) ? 'NUMBER' : 'DECIMAL'}_VALUE cannot be converted to ${javaType}`
  }
  return `STRING_VALUE cannot be converted to ${javaType}`
}

function checkDepth(depth: number): void {
  if (depth >= inputNestingDepthMax) {
    throw new ValidationException(nestingMessage)
  }
}

function serializationError(message: string): SerializationException {
  return new SerializationException(message)
}
