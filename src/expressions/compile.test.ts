// Semantic validation of expressions: placeholders, reserved words, functions and operands.
// Each message is DynamoDB's, as recorded by tests run against DynamoDB (dynalite, Alternator
// and other emulators' conformance suites).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ValidationException } from '../errors.js'
import type { AttributeValue } from '../values/types.js'
import { compileExpressions, type ExpressionParameter, type ExpressionParameters } from './index.js'

function rejects(params: ExpressionParameters, expected: string, operationExpressions?: ExpressionParameter[]): void {
  assert.throws(() => compileExpressions(params, operationExpressions), (error: unknown) => {
    assert.ok(error instanceof ValidationException, String(error))
    assert.equal(error.message, expected)
    return true
  })
}

const s = (text: string) => ({ S: text })
const n = (text: string) => ({ N: text })

test('ExpressionAttributeNames and Values must be non-empty, well-keyed and used with expressions', () => {
  rejects({ ConditionExpression: 'a = b', ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty')
  rejects({ ConditionExpression: 'a = b', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty')
  rejects({ ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions')
  rejects({ ExpressionAttributeValues: { ':a': s('a') } }, 'ExpressionAttributeValues can only be specified when using expressions')
  // Given the operation's expression parameters, DynamoDB names those that could use values.
  rejects({ ExpressionAttributeValues: { ':a': s('a') } },
    'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null', ['ConditionExpression'])
  rejects({ ProjectionExpression: 'a', ExpressionAttributeValues: { ':a': s('a') } },
    'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'])
  rejects({ ProjectionExpression: 'a', ExpressionAttributeValues: { ':a': s('a') } },
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}', ['ProjectionExpression'])
  rejects({ ConditionExpression: '#name = :v', ExpressionAttributeNames: { name: 'name' }, ExpressionAttributeValues: { ':v': s('1') } },
    'ExpressionAttributeNames contains invalid key: Syntax error; key: "name"')
  rejects({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { pk: s('1') } },
    'ExpressionAttributeValues contains invalid key: Syntax error; key: "pk"')
})

test('invalid values in ExpressionAttributeValues name their key', () => {
  assert.throws(() => compileExpressions({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } }),
    (error: unknown) => error instanceof ValidationException &&
      error.message.startsWith('ExpressionAttributeValues contains invalid value: ') && error.message.endsWith(' for key :v'))
})

test('unused names and values are checked across all expressions of the request', () => {
  rejects({ ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': s('x'), ':b': s('y'), ':c': s('z') } },
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b, :c}')
  rejects({ ProjectionExpression: 'a', ExpressionAttributeNames: { '#a': 'a' } },
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}')
  // :b used only by the condition, #p only by the projection: together everything is used.
  const compiled = compileExpressions({
    UpdateExpression: 'SET a = :a', ConditionExpression: 'b = :b', ProjectionExpression: '#p',
    ExpressionAttributeNames: { '#p': 'p' }, ExpressionAttributeValues: { ':a': s('x'), ':b': s('y') },
  })
  assert.ok(compiled.update && compiled.condition && compiled.projection)
})

test('undefined names and values', () => {
  rejects({ ConditionExpression: 'a = :x' },
    'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x')
  rejects({ UpdateExpression: 'SET #upd = :v', ExpressionAttributeValues: { ':v': s('x') } },
    'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #upd')
  rejects({ ProjectionExpression: 'a, #name' },
    'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #name')
  rejects({ ConditionExpression: 'attribute_exists(:value)' },
    'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :value')
})

test('reserved words used bare are rejected, in any case and at any depth; placeholders avoid them', () => {
  rejects({ ConditionExpression: 'COUNT = :v', ExpressionAttributeValues: { ':v': s('1') } },
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: COUNT')
  rejects({ ProjectionExpression: 'name' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name')
  rejects({ ProjectionExpression: 'list[0].COMMENT' },
    'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: list')
  rejects({ UpdateExpression: 'SET a.b.comment = :v', ExpressionAttributeValues: { ':v': s('1') } },
    'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: comment')
  rejects({ ConditionExpression: 'begins_with(m.COMMENT, :v)', ExpressionAttributeValues: { ':v': s('1') } },
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: COMMENT')
  const compiled = compileExpressions({ ProjectionExpression: '#l[0].#c', ExpressionAttributeNames: { '#l': 'list', '#c': 'COMMENT' } })
  assert.deepEqual(compiled.projection?.paths, [['list', 0, 'COMMENT']])
})

test('a reserved word is reported before an undefined value anywhere in the expression', () => {
  rejects({ ConditionExpression: 'a = :undefined AND size = :v', ExpressionAttributeValues: { ':v': n('1') } },
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size')
})

test('function names, operand counts and misuse', () => {
  const names = { '#n': 'name' }
  rejects({ ConditionExpression: 'foo(a)' }, 'Invalid ConditionExpression: Invalid function name; function: foo')
  rejects({ ConditionExpression: 'contains(#n)', ExpressionAttributeNames: names },
    'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1')
  rejects({ ConditionExpression: 'begins_with(#n, :p, :x)', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':p': s('a'), ':x': s('x') } },
    'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 3')
  rejects({ ConditionExpression: 'size(#n, #m) = :v', ExpressionAttributeNames: { ...names, '#m': 'more' }, ExpressionAttributeValues: { ':v': n('4') } },
    'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2')
  rejects({ ConditionExpression: 'size(#n)', ExpressionAttributeNames: names },
    'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size')
  rejects({ ConditionExpression: 'size(contains(#n, :v)) = :s', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':v': s('a'), ':s': n('4') } },
    'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: contains')
  rejects({ ConditionExpression: 'attribute_exists(a) = :v', ExpressionAttributeValues: { ':v': s('a') } },
    'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists')
  rejects({ ConditionExpression: 'if_not_exists(s, :f) = :f', ExpressionAttributeValues: { ':f': s('f') } },
    'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists')
  rejects({ ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: { ':v': s('a') } },
    'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists')
})

test('function operand types from the request are checked', () => {
  const names = { '#n': 'name' }
  rejects({ ConditionExpression: 'begins_with(#n, :p)', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':p': n('1') } },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
  rejects({ ConditionExpression: 'attribute_type(#n, :t)', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':t': s('STRING') } },
    'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}')
  rejects({ ConditionExpression: 'attribute_type(#n, :t)', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':t': n('1') } },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N')
  rejects({ ConditionExpression: 'attribute_type(#n, S)', ExpressionAttributeNames: names },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ' +
    '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}')
  rejects({ ConditionExpression: 'size(:v) > :w', ExpressionAttributeValues: { ':v': n('1'), ':w': n('1') } },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N')
})

test('a path may not be compared with itself', () => {
  rejects({ ConditionExpression: 'contains(name, name)' },
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name')
  rejects({ ConditionExpression: 'contains(#n, #n)', ExpressionAttributeNames: { '#n': 'title' } },
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [title]')
  rejects({ ConditionExpression: 'a.b = a.b' },
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b]')
})

test('BETWEEN bounds from the request must be ordered and of one type', () => {
  rejects({ ConditionExpression: 'pk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': n('5'), ':hi': n('4') } },
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
    'lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:4}')
  rejects({ ConditionExpression: 'pk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { B: 'eg==' }, ':hi': { B: 'YQ==' } } },
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
    'lower bound operand: AttributeValue: {B:eg==}, upper bound operand: AttributeValue: {B:YQ==}')
  rejects({ ConditionExpression: 'pk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': n('1'), ':hi': s('a') } },
    'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; ' +
    'lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}')
  assert.ok(compileExpressions({ ConditionExpression: 'pk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': n('5'), ':hi': n('5') } }).condition)
})

// <, <=, >, >= and BETWEEN order S, N and B only (DynamoDB Local's ORDERED_TYPES); a literal of
// another type is rejected before evaluation, naming the operator as written.
test('ordering comparisons reject request values of a type that has no order', () => {
  const unordered: Array<[string, AttributeValue]> = [
    ['BOOL', { BOOL: true }], ['NULL', { NULL: true }], ['SS', { SS: ['a'] }], ['NS', { NS: ['1'] }],
    ['BS', { BS: ['YQ=='] }], ['L', { L: [] }], ['M', { M: {} }],
  ]
  for (const [type, value] of unordered) {
    for (const operator of ['<', '<=', '>', '>=']) {
      rejects({ ConditionExpression: `a ${operator} :v`, ExpressionAttributeValues: { ':v': value } },
        `Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`)
    }
  }
  rejects({ FilterExpression: ':v > a', ExpressionAttributeValues: { ':v': { BOOL: false } } },
    'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: >, operand type: BOOL')
  rejects({ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { BOOL: false }, ':hi': { BOOL: true } } },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL')
  // The type check comes before BETWEEN's bound checks.
  rejects({ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { N: '1' }, ':hi': { L: [] } } },
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L')
  rejects({ KeyConditionExpression: 'pk = :p AND sk < :v', ExpressionAttributeValues: { ':p': { S: 'x' }, ':v': { NULL: true } } },
    'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: NULL')
  // Equality, IN, paths and size() are not affected.
  for (const expression of ['a = :v', 'a <> :v', 'a IN (:v)', 'a < :n OR a < b', 'size(a) < :n AND a = :v']) {
    const values = { ':v': { BOOL: true }, ':n': n('1') }
    const used = Object.fromEntries(Object.entries(values).filter(([key]) => expression.includes(key)))
    assert.ok(compileExpressions({ ConditionExpression: expression, ExpressionAttributeValues: used }).condition)
  }
})

test('IN takes at most 100 values', () => {
  const values = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`:v${index}`, n(String(index))]))
  const list = (count: number) => Object.keys(values).slice(0, count).join(', ')
  rejects({ FilterExpression: `a IN (${list(101)})`, ExpressionAttributeValues: values },
    'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101')
  const { [':v100']: _unused, ...hundred } = values
  assert.ok(compileExpressions({ FilterExpression: `a IN (${list(100)})`, ExpressionAttributeValues: hundred }).filter)
})

test('document paths are limited to 32 levels', () => {
  const path = (depth: number) => Array.from({ length: depth }, (_, index) => `a${index}`).join('.')
  assert.deepEqual(compileExpressions({ ProjectionExpression: path(32) }).projection?.paths[0]?.length, 32)
  rejects({ ProjectionExpression: path(33) },
    'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33')
})

test('update clauses appear once each; paths may not overlap or conflict', () => {
  const values = { ':s': s('new'), ':o': s('other') }
  rejects({ UpdateExpression: 'SET fieldx = :s SET otherx = :o', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;')
  rejects({ UpdateExpression: 'SET fieldx = :s, fieldx = :o', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [fieldx], path two: [fieldx]')
  rejects({ UpdateExpression: 'SET lst[0] = :s, lst[0].ok = :o', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [lst, [0]], path two: [lst, [0], ok]')
  rejects({ UpdateExpression: 'SET #f = :s REMOVE fieldx', ExpressionAttributeNames: { '#f': 'fieldx' }, ExpressionAttributeValues: { ':s': s('x') } },
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [fieldx], path two: [fieldx]')
  rejects({ UpdateExpression: 'SET a.b = :s, a[0] = :o', ExpressionAttributeValues: values },
    'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]')
  assert.ok(compileExpressions({ UpdateExpression: 'ADD n :s SET f = :o', ExpressionAttributeValues: { ':s': n('1'), ':o': s('x') } }).update)
})

test('update functions and operand types', () => {
  rejects({ UpdateExpression: 'SET r = contains(s, :n)', ExpressionAttributeValues: { ':n': s('e') } },
    'Invalid UpdateExpression: The function is not allowed in an update expression; function: contains')
  rejects({ UpdateExpression: 'SET r = size(s)' },
    'Invalid UpdateExpression: The function is not allowed in an update expression; function: size')
  rejects({ UpdateExpression: 'SET r = foo(s)' }, 'Invalid UpdateExpression: Invalid function name; function: foo')
  rejects({ UpdateExpression: 'SET r = list_append(list_append(l, :t), :u)', ExpressionAttributeValues: { ':t': { L: [] }, ':u': { L: [] } } },
    'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append')
  rejects({ UpdateExpression: 'SET z = list_append(l, l) + :c', ExpressionAttributeValues: { ':c': n('1') } },
    'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append')
  rejects({ UpdateExpression: 'SET z = :c - list_append(l, l)', ExpressionAttributeValues: { ':c': n('1') } },
    'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append')
  // A path given twice, as `a = a` in a condition; through names too.
  const notDistinct = (path: string) => 'Invalid UpdateExpression: The first operand must be distinct from the remaining operands for this ' +
    `operator or function; operator: if_not_exists, first operand: ${path}`
  rejects({ UpdateExpression: 'SET z = if_not_exists(n, n)' }, notDistinct('[n]'))
  rejects({ UpdateExpression: 'SET z = if_not_exists(m.a, m.a) + :c', ExpressionAttributeValues: { ':c': n('1') } }, notDistinct('[m, a]'))
  rejects({ UpdateExpression: 'SET z = if_not_exists(#a, #b)', ExpressionAttributeNames: { '#a': 'n', '#b': 'n' } }, notDistinct('[n]'))
  assert.ok(compileExpressions({ UpdateExpression: 'SET z = if_not_exists(m.a, m.b)' }).update)
  rejects({ UpdateExpression: 'SET r = if_not_exists(if_not_exists(n, :z), :o)', ExpressionAttributeValues: { ':z': n('0'), ':o': n('1') } },
    'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists')
  rejects({ UpdateExpression: 'SET r = list_append(:a)', ExpressionAttributeValues: { ':a': { L: [] } } },
    'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1')
  rejects({ UpdateExpression: 'SET r = list_append(l, :a)', ExpressionAttributeValues: { ':a': s('x') } },
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S')
  rejects({ UpdateExpression: 'SET r = r + :a', ExpressionAttributeValues: { ':a': s('x') } },
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S')
  rejects({ UpdateExpression: 'ADD numx :list', ExpressionAttributeValues: { ':list': { L: [n('1')] } } },
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND')
  rejects({ UpdateExpression: 'DELETE setx :s', ExpressionAttributeValues: { ':s': s('a') } },
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND')
  assert.ok(compileExpressions({ UpdateExpression: 'SET r = list_append(if_not_exists(l, :e), :t)', ExpressionAttributeValues: { ':e': { L: [] }, ':t': { L: [] } } }).update)
})

test('key conditions: only = on the partition key and one sort key condition', () => {
  const values = { ':p': s('x'), ':s': s('y'), ':t': s('z') }
  const compile = (text: string) => compileExpressions({ KeyConditionExpression: text, ExpressionAttributeValues: values })
  assert.deepEqual(compile('pk = :p AND sk BETWEEN :s AND :t').keyCondition?.conditions, [
    { attribute: 'pk', condition: { op: 'EQ', value: s('x') } },
    { attribute: 'sk', condition: { op: 'BETWEEN', low: s('y'), high: s('z') } },
  ])
  // A key on the right-hand side mirrors the comparison: `:s <= sk` is `sk >= :s`.
  const mirrored = compileExpressions({ KeyConditionExpression: ':p = pk AND (:s <= sk)', ExpressionAttributeValues: { ':p': s('x'), ':s': s('y') } })
  assert.deepEqual(mirrored.keyCondition?.conditions, [
    { attribute: 'pk', condition: { op: 'EQ', value: s('x') } },
    { attribute: 'sk', condition: { op: 'GE', value: s('y') } },
  ])
  // The shape of a key condition is reported bare, without "Invalid KeyConditionExpression: ".
  const fails = (text: string, message: string) =>
    rejects({ KeyConditionExpression: text, ExpressionAttributeValues: values }, message)
  fails('pk = :p OR sk = :s AND sk = :t', 'Invalid operator used in KeyConditionExpression: OR')
  fails('pk = :p AND NOT sk = :s AND pk = :t', 'Invalid operator used in KeyConditionExpression: NOT')
  fails('pk IN (:p, :s, :t)', 'Invalid operator used in KeyConditionExpression: IN')
  fails('pk <> :p AND sk = :s AND pk = :t', 'Invalid operator used in KeyConditionExpression: <>')
  fails('attribute_exists(pk) AND sk = :s AND pk = :p AND pk = :t', 'Invalid operator used in KeyConditionExpression: attribute_exists')
  fails('pk = :p AND pk = :s AND pk = :t', 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key')
  fails('pk.a = :p AND sk = :s AND pk = :t', 'KeyConditionExpressions cannot have conditions on nested attributes')
  fails('pk = sk AND :s = :t AND pk = :p', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition')
  fails(':p = :s AND sk = :t', 'Invalid condition in KeyConditionExpression: No key attribute specified')
  fails('pk = :p AND size(sk) > :s AND sk = :t', 'KeyConditionExpressions cannot contain nested operations')
  fails(':p BETWEEN :s AND :t', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand')
  fails('pk = :p AND begins_with(:s, sk) AND sk = :t',
    'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand')
  rejects({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :n)', ExpressionAttributeValues: { ':p': s('x'), ':n': n('1') } },
    'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N')
})
