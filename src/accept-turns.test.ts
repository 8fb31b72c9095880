import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createConnection, createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { AfterAccepts, connectionAccepted } from './accept-turns.js'

const burst = 8

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
  // The premise of AfterAccepts: if this starts failing, Node accepts a whole burst at once again.
  const acceptedThen = await acceptsBeforeWork((work) => setImmediate(work))
  assert.ok(acceptedThen < burst, `all ${burst} accepted before the work`)
})

test('AfterAccepts runs its work after a burst of new connections has been accepted', async () => {
  // No time bound in play: the wait is capped far above anything this test takes.
  const scheduler = new AfterAccepts(60_000)
  const acceptedThen = await acceptsBeforeWork((work) => scheduler.schedule(work))
  assert.equal(acceptedThen, burst)
})

test('AfterAccepts runs its work in the next turn when no connection is being accepted', async () => {
  const scheduler = new AfterAccepts(60_000)
  // A first look records the count, so that accepts from other tests do not count as a burst.
  await new Promise<void>((resolve) => scheduler.schedule(resolve))
  const order: string[] = []
  const done = new Promise<void>((resolve) => scheduler.schedule(() => { order.push('work'); resolve() }))
  setImmediate(() => order.push('immediate after'))
  await done
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(order, ['work', 'immediate after'])
})
