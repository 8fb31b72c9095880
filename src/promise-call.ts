/**
 * fn's own promise, or a rejected one when fn throws before returning one: what an async
 * function wrapping fn would give, without the two turns of the microtask queue it costs to
 * return a promise from an async function (docs/architecture.md, decision 9).
 */
export function promiseCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn()
  } catch (error) {
    return Promise.reject(error)
  }
}
