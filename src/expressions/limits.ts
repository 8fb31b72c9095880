/**
 * Bounds on expressions. Each is DynamoDB's own limit where it has one; together they bound
 * every loop and recursion that a client's expression text drives.
 */

/** DynamoDB rejects any expression string longer than 4 KB (measured in UTF-8 bytes of the raw
 *  text, before #name and :value substitution). This also bounds the number of tokens. */
export const expressionLengthMaxBytes = 4096

/** "DynamoDB officially limits the length of paths to 32 components" (nested maps and lists). */
export const documentPathDepthMax = 32

/** The largest list index a document path may name (a Java int): `a[2147483648]` is rejected. */
export const listIndexMax = 2147483647

/** The IN comparator accepts at most 100 values on its right-hand side. */
export const inOperandsMax = 100

/**
 * How deeply parentheses and NOT may nest while parsing a condition. DynamoDB allows at most
 * 300 operators and functions in one expression, so legitimate nesting never comes close; the
 * bound keeps the recursive-descent parser far from the JavaScript stack limit whatever the
 * input (e.g. thousands of '(').
 */
export const conditionNestingDepthMax = 300

/**
 * "The maximum number of operators or functions allowed in any expression is 300" (DynamoDB's
 * service quotas): comparators, BETWEEN, IN, AND, OR, NOT and function calls each count one.
 */
export const conditionOperatorsMax = 300

/** Function calls nest only through SET operands (list_append(if_not_exists(...), ...)). */
export const functionNestingDepthMax = 32

/** Parsed ASTs kept by the parse cache, keyed by expression kind and text. */
export const parseCacheEntriesMax = 1000
