/**
 * Members of objects keyed by attribute names. An attribute name is any text, `__proto__`
 * included: JSON.parse, spreads, computed keys and Object.fromEntries make it an ordinary member,
 * but `object['__proto__'] = value` replaces the object's prototype instead (the value is lost),
 * and `object['__proto__']` reads the prototype when there is no such member. Code that builds or
 * reads items, maps and keys by a name from a request or a file goes through these two.
 */

/** The member `name` of `object`, or undefined when it has none of its own. */
export function ownMember<T>(object: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(object, name) ? object[name] : undefined
}

/** Adds or replaces the member `name` of `object`. */
export function setMember<T>(object: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true })
  else object[name] = value
}

/** The member `name` of `object`, added by `create` first when it has none of its own (`??=` by name). */
export function memberOrAdd<T>(object: Record<string, T>, name: string, create: () => T): T {
  const existing = ownMember(object, name)
  if (existing !== undefined) return existing
  const made = create()
  setMember(object, name, made)
  return made
}
