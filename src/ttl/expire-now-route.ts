/**
 * `DELETE /_aws/dynamodb/expired`: deletes every expired item of every open region now, and
 * answers `{"ExpiredItems": n}`. Tests want expiry without waiting for the sweeper; LocalStack
 * serves the same path and reply shape (localstack#10022), so scripts written for it work here.
 */
import type { PathRoute, RestReply, RestRequest } from '../http/server.js'
import type { Regions } from '../regions.js'

export const expireNowPath = '/_aws/dynamodb/expired'

/** Passes per region before giving up on draining it (each pass is itself bounded). */
export const expireNowPassesMax = 1000

export function expireNowRoute(regions: Regions): PathRoute {
  return {
    prefix: expireNowPath,
    async handle(request: RestRequest): Promise<RestReply> {
      if (request.path !== expireNowPath) return { status: 404 }
      if (request.method !== 'DELETE') return { status: 405, headers: { Allow: 'DELETE' } }
      // The sweeper is imported here, not with the server (src/lazy-require.ts).
      const { runTtlPass } = await import('./sweeper.js')
      let expiredItems = 0
      for (const ctx of regions.list()) {
        for (let pass = 0; pass < expireNowPassesMax; pass++) {
          const result = await runTtlPass(ctx)
          expiredItems += result.expiredItems
          if (!result.workLeft) break
        }
      }
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ExpiredItems: expiredItems }),
      }
    },
  }
}
