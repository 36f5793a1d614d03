// The offline queue against a real IndexedDB implementation (fake-indexeddb): order, keys, stops
// while offline, conflicts kept, one run at a time, and survival across app restarts.
import 'fake-indexeddb/auto'
import { describe, it, expect, beforeEach } from 'vitest'
import { openQueue, makeReplayer, partsFromFields, formFromParts } from '../tech/src/offline/queue.js'

let n = 0
const fresh = () => openQueue({ name: `q-${++n}` })
const offline = () => Object.assign(new Error('offline'), { offline: true, status: 0 })
const refused = (code) => Object.assign(new Error(code), { final: true, status: 409, code })

describe('offline queue', () => {
  let q
  beforeEach(async () => { q = await fresh() })

  it('keeps items in the order they were made, each with its own key', async () => {
    await q.add({ method: 'POST', path: '/a' })
    await q.add({ method: 'POST', path: '/b' })
    await q.add({ method: 'POST', path: '/c' })
    const items = await q.all()
    expect(items.map((i) => i.path)).toEqual(['/a', '/b', '/c'])
    expect(new Set(items.map((i) => i.key)).size).toBe(3)
  })

  it('sends in order and empties the queue', async () => {
    for (const p of ['/1', '/2', '/3']) await q.add({ method: 'POST', path: p })
    const seen = []
    const r = await makeReplayer(q, async (i) => { seen.push(i.path) })()
    expect(seen).toEqual(['/1', '/2', '/3'])
    expect(r).toEqual({ sent: 3, stopped: false })
    expect(await q.all()).toEqual([])
  })

  it('stops at the first offline failure and resumes later with the same keys, nothing twice', async () => {
    for (const p of ['/1', '/2', '/3']) await q.add({ method: 'POST', path: p })
    const keys = (await q.all()).map((i) => i.key)
    const received = []
    let up = true
    const send = async (i) => {
      if (i.path === '/2' && up) { up = false; throw offline() }
      received.push([i.path, i.key])
    }
    const replay = makeReplayer(q, send)
    expect((await replay()).stopped).toBe(true)
    expect((await q.all()).map((i) => i.path)).toEqual(['/2', '/3'])
    await replay()
    expect(received).toEqual([['/1', keys[0]], ['/2', keys[1]], ['/3', keys[2]]])
    expect(await q.all()).toEqual([])
  })

  it('a lost answer is resent with the same key, so the server can recognise it', async () => {
    await q.add({ method: 'POST', path: '/node' })
    const keys = []
    let first = true
    const send = async (i) => { keys.push(i.key); if (first) { first = false; throw offline() } }
    const replay = makeReplayer(q, send)
    await replay(); await replay()
    expect(keys.length).toBe(2)
    expect(keys[0]).toBe(keys[1])
  })

  it('keeps a refused item as a conflict and carries on with the rest', async () => {
    for (const p of ['/cancelled-job', '/other']) await q.add({ method: 'POST', path: p, label: p })
    const conflicts = []
    const replay = makeReplayer(q, async (i) => { if (i.path === '/cancelled-job') throw refused('job-not-active') },
      { onConflict: (i, e) => conflicts.push([i.path, e.code]) })
    const r = await replay()
    expect(r.sent).toBe(1)
    expect(conflicts).toEqual([['/cancelled-job', 'job-not-active']])
    const left = await q.all()
    expect(left.map((i) => [i.path, i.state, i.error.code])).toEqual([['/cancelled-job', 'conflict', 'job-not-active']])
    await replay()  // a conflict is not resent
    expect((await q.all()).length).toBe(1)
  })

  it('a server error (5xx) stops the run so later items never overtake it', async () => {
    for (const p of ['/1', '/2']) await q.add({ method: 'POST', path: p })
    const seen = []
    const r = await makeReplayer(q, async (i) => { seen.push(i.path); throw Object.assign(new Error('boom'), { status: 503 }) })()
    expect(r.stopped).toBe(true)
    expect(seen).toEqual(['/1'])
  })

  it('concurrent replays (reconnect and app start at once) send each item once', async () => {
    for (const p of ['/1', '/2']) await q.add({ method: 'POST', path: p })
    const seen = []
    const replay = makeReplayer(q, async (i) => { await new Promise((r) => setTimeout(r, 5)); seen.push(i.path) })
    await Promise.all([replay(), replay(), replay()])
    expect(seen).toEqual(['/1', '/2'])
  })

  it('survives a restart: a new queue on the same database sees the pending items', async () => {
    const name = `restart-${++n}`
    const a = await openQueue({ name })
    await a.add({ method: 'POST', path: '/x', label: '完成节点' })
    a.close()
    const b = await openQueue({ name })
    expect((await b.all()).map((i) => [i.path, i.state])).toEqual([['/x', 'pending']])
  })

  it('stores photos as bytes and rebuilds the multipart body', async () => {
    const fields = [['fields', '{"checkbox":true}'], ['files', new File([new Uint8Array([0xff, 0xd8, 0xff, 1])], 'a.jpg', { type: 'image/jpeg' })]]
    const item = await q.add({ method: 'POST', path: '/n', parts: await partsFromFields(fields) })
    const [stored] = await q.all()
    expect(stored.seq).toBe(item.seq)
    const form = formFromParts(stored.parts)
    expect(form.get('fields')).toBe('{"checkbox":true}')
    const file = form.get('files')
    expect(file.type).toBe('image/jpeg')
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 1])
  })
})
