// The offline queue: writes made on the phone (node completions with their photos, transitions) are
// kept in IndexedDB, each with its own Idempotency-Key, and sent strictly in the order they were made
// whenever the network is there — on reconnect and on app start, since Background Sync is Chromium-only.
// An item leaves the queue only once the server has answered it; a refusal is kept as a conflict for
// the technician to see, so nothing is lost silently and the key makes a resend harmless.

const STORE = 'outbox'

function promisify(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

export function newKey() {
  return globalThis.crypto?.randomUUID?.() ||
    'k-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2)
}

export async function openQueue({ name = 'shifu-tech', indexedDB = globalThis.indexedDB } = {}) {
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true })
  const db = await promisify(open)

  async function tx(mode, fn) {
    const t = db.transaction(STORE, mode)
    const result = await fn(t.objectStore(STORE))
    await new Promise((resolve, reject) => { t.oncomplete = resolve; t.onerror = () => reject(t.error); t.onabort = () => reject(t.error) })
    return result
  }

  return {
    // item: { method, path, json?, parts?: [{name, value} | {name, bytes, type, filename}], jobId, label }
    async add(item) {
      const row = { state: 'pending', key: newKey(), createdAt: Date.now(), ...item }
      row.seq = await tx('readwrite', (s) => promisify(s.add(row)))
      return row
    },
    all() { return tx('readonly', (s) => promisify(s.getAll())) },  // in seq order: the order made
    remove(seq) { return tx('readwrite', (s) => promisify(s.delete(seq))) },
    async update(seq, patch) {
      return tx('readwrite', async (s) => {
        const row = await promisify(s.get(seq))
        if (row) await promisify(s.put({ ...row, ...patch }))
      })
    },
    close() { db.close() },
  }
}

// Photos are stored as bytes, not Blobs: every IndexedDB (and structured clone) handles ArrayBuffers.
export async function partsFromFields(fields) {
  const parts = []
  for (const [name, value] of fields) {
    if (value instanceof Blob) {
      parts.push({ name, bytes: await value.arrayBuffer(), type: value.type, filename: value.name || name })
    } else parts.push({ name, value })
  }
  return parts
}

export function formFromParts(parts) {
  const form = new FormData()
  for (const p of parts) {
    if (p.bytes) form.append(p.name, new Blob([p.bytes], { type: p.type }), p.filename)
    else form.append(p.name, p.value)
  }
  return form
}

// Send pending items in order. `send(item)` resolves with the server's answer or throws an error
// with `offline` (stop: try again later) or `final` (the server refused: keep it as a conflict).
// Anything else (a 5xx) also stops the run so order is kept. Concurrent calls share one run.
export function makeReplayer(queue, send, { onSent, onConflict } = {}) {
  let running = null
  async function run() {
    let sent = 0
    for (const item of await queue.all()) {
      if (item.state !== 'pending') continue
      try {
        const answer = await send(item)
        await queue.remove(item.seq)
        sent++
        onSent?.(item, answer)
      } catch (err) {
        if (err?.final) {
          await queue.update(item.seq, { state: 'conflict', error: { status: err.status, code: err.code, detail: err.message, problem: err.problem } })
          onConflict?.(item, err)
          continue
        }
        return { sent, stopped: true, error: err }
      }
    }
    return { sent, stopped: false }
  }
  return function replay() {
    if (!running) running = run().finally(() => { running = null })
    return running
  }
}
