// The app's state and every conversation with the server: the home screen, the open job, and the
// outbox through which all work on a job is sent (so online and offline take one path).
import { reactive } from 'vue'
import { createClient } from '@shared/api.js'
import { openQueue, makeReplayer, formFromParts, partsFromFields } from './offline/queue.js'
import { city } from './lib/format.js'

export const api = createClient()

export const state = reactive({
  home: readCache('home'),
  job: null,           // the open job's detail, as /v1/tech/jobs/{id} answers
  outbox: [],          // queued items (pending and conflicts), shown to the technician
  online: navigator.onLine,
  position: null,      // last known { lon, lat, accuracy } from the phone
  lastSync: null,      // { n } after a replay sent something
})

function readCache(name) { try { return JSON.parse(localStorage.getItem(`shifu.cache.${name}`)) } catch { return null } }
function writeCache(name, value) { try { localStorage.setItem(`shifu.cache.${name}`, JSON.stringify(value)) } catch { /* full */ } }

// Logging out leaves nothing of this technician's day on the phone.
export function forget() {
  for (const k of Object.keys(localStorage)) if (k.startsWith('shifu.cache.')) localStorage.removeItem(k)
  state.home = null
  state.job = null
  api.setToken(null)
}

export async function loadHome() {
  const q = state.position ? `?lon=${state.position.lon}&lat=${state.position.lat}` : ''
  const home = await api.get(`/v1/tech/home${q}`)
  if (home.timezone) city.timeZone = home.timezone
  state.home = home
  writeCache('home', home)
  return home
}

export async function loadJob(id) {
  const cached = readCache(`job.${id}`)
  if (cached && state.job?.job?.id !== id) state.job = cached
  const epoch = writes
  try {
    const detail = await api.get(`/v1/tech/jobs/${id}`)
    // A write answered while this read was on its way is newer than it: keep the write's answer.
    if (epoch === writes) setJob(detail)
  } catch (e) {
    if (!(e.offline && cached)) throw e  // offline with a copy: keep showing it
  }
  return state.job
}

function setJob(detail) {
  state.job = detail
  writeCache(`job.${detail.job.id}`, detail)
}

// --- the outbox ---------------------------------------------------------------------------------

let queue = null
let replayer = null
let writes = 0  // answers to writes so far: a read that started before one is stale

async function send(item) {
  const headers = { 'Idempotency-Key': item.key }
  if (item.parts) return api.request(item.method, item.path, { form: formFromParts(item.parts), headers })
  return api.request(item.method, item.path, { json: item.json, headers })
}

export async function startOutbox() {
  queue = await openQueue()
  replayer = makeReplayer(queue, send, {
    onSent: (item, answer) => {
      writes++
      if (answer?.job && answer.job.id === state.job?.job?.id) setJob(answer)
    },
  })
  await refreshOutbox()
  return replay()  // items left from a previous session go first
}

async function refreshOutbox() { state.outbox = queue ? await queue.all() : [] }

export async function replay() {
  if (!replayer) return { sent: 0 }
  const result = await replayer()
  await refreshOutbox()
  if (result.sent) state.lastSync = { n: result.sent, at: Date.now() }
  return result
}

export async function dismissConflict(seq) { await queue.remove(seq); await refreshOutbox() }

// Queue a piece of work on a job and try to send it now. Resolves with the server's error when it
// refused this very item (so the form can say why); when offline it resolves { queued: true }.
export async function work({ path, json, fields, label, jobId, nodeCode }) {
  const item = { method: 'POST', path, label, jobId, nodeCode }
  if (fields) item.parts = await partsFromFields(fields)
  else item.json = json
  const row = await queue.add(item)
  await refreshOutbox()
  await replay()
  // A replay already under way may have listed the outbox before this item was added.
  if (state.online && state.outbox.some((i) => i.seq === row.seq && i.state === 'pending')) await replay()
  const left = state.outbox.find((i) => i.seq === row.seq)
  if (!left) return { sent: true }
  if (left.state === 'conflict') {
    await dismissConflict(row.seq)  // refused at once, while the technician is looking: the form shows why
    const err = new Error(left.error.detail)
    Object.assign(err, left.error, { final: true })
    return { refused: err }
  }
  return { queued: true }
}

export function pendingFor(jobId) { return state.outbox.filter((i) => i.jobId === jobId && i.state === 'pending') }

window.addEventListener('online', () => { state.online = true; replay() })
window.addEventListener('offline', () => { state.online = false })
