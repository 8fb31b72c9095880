/**
 * Wire ports for DAX nodes. With a base port (8111, DAX's own) nodes take the lowest free port
 * from there up: the first cluster's primary gets 8111, its replicas 8112, 8113, and so on. With
 * base port 0 every node gets a port the operating system picks (tests).
 */
import type { DaxNodeOptions, RunningDaxNode, StartDaxNode } from '../node-api.js'

/** DAX's plain-text port. */
export const daxDefaultPort = 8111

/** Ports tried past ones other programs hold before a node start gives up. */
export const portAttemptsMax = 32

export class PortAllocator {
  readonly #basePort: number
  /** Ports our nodes hold, and ports found held by other programs. */
  readonly #taken = new Set<number>()

  constructor(basePort: number) {
    this.#basePort = basePort
  }

  /** Starts a node on the lowest free port, skipping ports another program already listens on. */
  async start(startNode: StartDaxNode, options: Omit<DaxNodeOptions, 'wirePort'>): Promise<RunningDaxNode> {
    if (this.#basePort === 0) return startNode({ ...options, wirePort: 0 })
    for (let attempt = 1; ; attempt++) {
      const port = this.#lowestFree()
      this.#taken.add(port)
      try {
        return await startNode({ ...options, wirePort: port })
      } catch (error) {
        // The port stays marked: another program holds it.
        if (!isAddressInUse(error) || attempt >= portAttemptsMax) throw error
      }
    }
  }

  release(port: number): void {
    if (this.#basePort !== 0) this.#taken.delete(port)
  }

  #lowestFree(): number {
    let port = this.#basePort
    while (this.#taken.has(port)) port += 1
    return port
  }
}

export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE'
}
