import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createConnection, createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { acceptWaitSettings, afterAccepts, connectionAccepted, nowOrAfterAccepts } from './accept-turns.js'

const burst = 8
// The bound on the wait is a safeguard for a stream of connections, not what these tests are
// about: lifted, only the accepts decide when the work runs, however loaded the machine is (at
// 20 ms a loaded CI machine accepted two of the eight before it).
acceptWaitSettings.waitMsMax = 60_000

/**
 * Opens `burst` connections at once to a server that reports its accepts, and schedules work when
 * the first is accepted. Returns how many had been accepted when the work ran.
 */
async function acceptsBeforeWork(schedule: (work: () => void) => void): Promise<number> {
  let accepted = 0
  const sockets: Socket[] = []
  let ran: (acceptedThen: number) => void
  const workRan = new Promise<number>((resolve) => { ran = resolve })
  const server = createServer((socket) => {
    connectionAccepted()
    sockets.push(socket)
    accepted++
    if (accepted === 1) schedule(() => ran(accepted))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const clients = Array.from({ length: burst }, () => createConnection(port, '127.0.0.1'))
  // Every connection is in the kernel's accept queue before the server's loop turns again.
  await Promise.all(clients.map((client) => new Promise((resolve) => client.once('connect', resolve))))
  try {
    return await workRan
  } finally {
    for (const socket of [...sockets, ...clients]) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
}

test('setImmediate alone runs between the accepts of a burst (libuv accepts one per turn)', async () => {
  // The premise of accept-turns.ts: if this starts failing, Node accepts a whole burst at once again.
  const acceptedThen = await acceptsBeforeWork((work) => setImmediate(work))
  assert.ok(acceptedThen < burst, `all ${burst} accepted before the work`)
})

test('afterAccepts runs its work after a burst of new connections has been accepted', async () => {
  assert.equal(await acceptsBeforeWork(afterAccepts), burst)
})

test('nowOrAfterAccepts puts off work that comes with a new connection until the burst is in', async () => {
  assert.equal(await acceptsBeforeWork(nowOrAfterAccepts), burst)
})

test('nowOrAfterAccepts runs its work at once when no connection was accepted', async () => {
  // A first look from the check phase records the accepts of the tests before.
  await new Promise<void>((resolve) => afterAccepts(resolve))
  let ran = false
  nowOrAfterAccepts(() => { ran = true })
  assert.equal(ran, true)
})

test('afterAccepts runs its work in this turn when no connection is being accepted', async () => {
  await new Promise<void>((resolve) => afterAccepts(resolve))
  const order: string[] = []
  const done = new Promise<void>((resolve) => afterAccepts(() => { order.push('work'); resolve() }))
  setImmediate(() => order.push('immediate after'))
  await done
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(order, ['work', 'immediate after'])
})

test('work waiting for the check phase (a write group) does not hold a request back', async () => {
  await new Promise<void>((resolve) => afterAccepts(resolve))
  const groupRan = new Promise<void>((resolve) => afterAccepts(resolve))
  let ran = false
  nowOrAfterAccepts(() => { ran = true })
  assert.equal(ran, true)
  await groupRan
})
