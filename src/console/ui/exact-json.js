// JSON whose numbers keep every digit. JSON.parse reads 12345678901234567890.12 as the double
// 12345678901234567000, but a DynamoDB number holds 38 digits, so the console reads and writes
// plain JSON with these instead: a number stays the text it was written as.

/** A JSON number as written, e.g. new JsonNumber('12345678901234567890.12'). */
export class JsonNumber {
  constructor(text) {
    this.text = text
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const stringPattern = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const literals = [['true', true], ['false', false], ['null', null]]
/** Deeper than any item can be (DynamoDB nests 32 levels); bounds the recursion. */
const depthMax = 64

/** Whether `text` is exactly one JSON number, so that it can be written into JSON as it is. */
export function isJsonNumber(text) {
  numberPattern.lastIndex = 0
  return numberPattern.exec(text)?.[0] === text
}

/** Parses JSON text as JSON.parse does, except that numbers become JsonNumbers; throws a SyntaxError. */
export function parseJson(text) {
  let at = 0
  const fail = (what) => {
    throw new SyntaxError(`Not valid JSON: ${what} at position ${at}`)
  }
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++
  }
  const token = (pattern) => {
    pattern.lastIndex = at
    const match = pattern.exec(text)
    if (match) at += match[0].length
    return match?.[0]
  }
  const expect = (char) => {
    skipSpace()
    if (text[at] !== char) fail(`expected ${char}`)
    at++
  }
  const list = (close, depth, readEntry) => {
    const entries = []
    skipSpace()
    if (text[at] === close) {
      at++
      return entries
    }
    for (;;) {
      entries.push(readEntry(depth))
      skipSpace()
      if (text[at] === close) break
      expect(',')
    }
    at++
    return entries
  }
  const value = (depth) => {
    if (depth > depthMax) fail('nesting too deep')
    skipSpace()
    const char = text[at]
    if (char === '{') {
      at++
      // Object.fromEntries, not assignment: a key "__proto__" is an attribute name like any other.
      return Object.fromEntries(list('}', depth + 1, () => {
        skipSpace()
        const name = token(stringPattern) ?? fail('expected a quoted name')
        expect(':')
        return [JSON.parse(name), value(depth + 1)]
      }))
    }
    if (char === '[') {
      at++
      return list(']', depth + 1, value)
    }
    if (char === '"') return JSON.parse(token(stringPattern) ?? fail('unterminated or badly escaped string'))
    const literal = literals.find(([word]) => text.startsWith(word, at))
    if (literal) {
      at += literal[0].length
      return literal[1]
    }
    const number = token(numberPattern)
    return number === undefined ? fail(char === undefined ? 'unexpected end' : `unexpected ${char}`) : new JsonNumber(number)
  }
  const result = value(0)
  skipSpace()
  if (at < text.length) fail('unexpected text after the value')
  return result
}

/** JSON text of a value that may hold JsonNumbers (written as they are), indented by `space` like JSON.stringify. */
export function stringifyJson(value, space = 0) {
  const step = ' '.repeat(space)
  const write = (value, indent) => {
    if (value instanceof JsonNumber) return value.text
    if (value === null || typeof value !== 'object') return JSON.stringify(value)
    const inner = indent + step
    const isList = Array.isArray(value)
    const parts = isList ? value.map((each) => write(each, inner))
      : Object.entries(value).map(([name, each]) => `${JSON.stringify(name)}:${space ? ' ' : ''}${write(each, inner)}`)
    const [open, close] = isList ? ['[', ']'] : ['{', '}']
    if (parts.length === 0) return open + close
    return space ? `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${indent}${close}` : `${open}${parts.join(',')}${close}`
  }
  return write(value, '')
}
