// The console's state and its conversations with the server: who is logged in, the city's config,
// the chosen day's board, the queues, a dispatch run being previewed, and live updates.
import { reactive } from 'vue'
import { createClient } from '@shared/api.js'
import { startLive as startShared } from '@shared/live.js'
import { city, cityDate } from './format.js'

export const api = createClient({ tokenKey: 'shifu.console.token' })

export const state = reactive({
  user: null, config: null, day: null, board: null, queues: null, preview: null, live: 'off',
  moveJob: null, lastUpdate: 0, run: null, plan: null, current: null,
})

export async function login(username, password) {
  const tok = await api.post('/v1/auth/login', { username, password })
  if (!['admin', 'dispatcher'].includes(tok.role)) {
    const e = new Error('not ops'); e.code = 'not-ops'; throw e
  }
  api.setToken(tok.access_token)
  await start()
}

export function logout() {
  api.post('/v1/auth/logout').catch(() => {})
  api.setToken(null)
  stopLive()
  state.user = null
}

export async function start() {
  state.user = await api.get('/v1/me')
  state.config = await api.get('/v1/console/config')
  city.timeZone = state.config.timezone
  state.day = state.day || cityDate(0)
  await Promise.all([loadBoard(), loadQueues()])
  startLive()
}

export async function loadBoard() {
  state.board = await api.get(`/v1/console/board?date=${state.day}`)
  state.lastUpdate = Date.now()
}

export async function loadQueues() { state.queues = await api.get('/v1/console/queues') }

export function technicianName(id) { return state.board?.technicians.find((t) => t.id === id)?.name || '' }

// --- live updates: the event stream, polling when it is not there -------------------------------------

const LIVE_TYPES = [
  'job.created', 'job.offered', 'job.accepted', 'job.declined', 'job.offers_expired', 'job.assigned',
  'job.reassigned', 'job.unassigned', 'job.scheduled', 'job.rescheduled', 'job.en_route', 'job.arrived',
  'job.started', 'job.completed', 'job.failed', 'job.cancelled', 'charge.proposed', 'sla.breached',
  'complaint.opened', 'complaint.resolved', 'dispatch_run.finished', 'dispatch_run.committed',
]
let stop = () => {}
let pending = null
const listeners = new Set()
export function onLiveEvent(fn) { listeners.add(fn); return () => listeners.delete(fn) }

// Events come in bursts (a commit assigns dozens of jobs): one reload per burst.
function refreshSoon() {
  clearTimeout(pending)
  pending = setTimeout(() => { loadBoard().catch(() => {}); loadQueues().catch(() => {}) }, 250)
}

export function startLive() {
  stopLive()
  stop = startShared({
    types: LIVE_TYPES, token: () => api.token, pollMs: 5000,
    onEvent: (ev) => { listeners.forEach((fn) => fn(ev)); refreshSoon() },
    onRefresh: refreshSoon,
    onMode: (mode) => { state.live = mode },
  })
}

export function stopLive() { stop(); stop = () => {} }

// A skill's or SLA's name in the console's language (the code when the server did not name it).
export function skillName(code, l) { const n = state.config?.skills?.[code]; return n ? (l === 'en' ? n.en : n.zh) : code }
export function slaName(code, l) { const n = state.config?.slas?.[code]; return n ? (l === 'en' ? n.en : n.zh) : code }
