/**
 * How DynamoDB words a list of constraint violations, and single violations in the words of its
 * newer validation. Free of imports, so shapes can build their fixed messages when they load.
 */

/** "N validation errors detected: …" listing these violations, or undefined when there are none. */
export function violationsMessage(violations: readonly string[]): string | undefined {
  const count = violations.length
  if (count === 0) return undefined
  return `${count} validation error${count > 1 ? 's' : ''} detected: ${violations.join('; ')}`
}

/**
 * A violation in the words of DynamoDB's newer validation (its 2026 rollout), which names the
 * member as the model spells it and echoes no value: "Value at 'Limit' failed to satisfy …".
 */
export function newerViolation(member: string, rule: string): string {
  return `Value at '${member}' failed to satisfy constraint: ${rule}`
}

/** An enum violation in the newer validation's words, which name neither value nor member. */
export function newerEnumViolation(values: readonly string[]): string {
  return `Failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`
}
