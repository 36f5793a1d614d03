// Which step comes next on a job: the checklist's state as the phone knows it (server state plus
// work still in the outbox), what a node needs, and which transition rides along with a node.

export const WORKING = ['accepted', 'scheduled', 'en_route', 'on_site', 'in_progress']
export const FORWARD = ['schedule', 'depart', 'arrive', 'start', 'complete']

export function localStatus(nodes, pending) {
  const queued = new Set(pending.map((i) => i.nodeCode).filter(Boolean))
  const status = {}
  for (const n of nodes) status[n.code] = queued.has(n.code) && n.status === 'open' ? 'queued' : n.status
  return status
}

export function waitingFor(node, status) {
  return (node.depends_on || []).filter((d) => status[d] === 'open')
}

export function openMandatory(nodes, status) {
  return nodes.filter((n) => n.mandatory && status[n.code] === 'open')
}

// A transition sent with the node in one request, where the trade joins them anyway: confirming
// the appointment is scheduling it, checking in is arriving, the consumer's signature ends the job.
export function joinedAction(node, job, nodes, status) {
  const ev = node.evidence || {}
  if (['accepted', 'rescheduled'].includes(job.status) && node.code.endsWith('confirm_appointment')) {
    return { action: 'schedule', scheduled_start: job.planned_arrival || job.window_start }
  }
  if (ev.checkin && job.status === 'en_route') return { action: 'arrive' }
  if (ev.signature && job.status === 'in_progress') {
    const others = openMandatory(nodes, status).filter((n) => n.code !== node.code && n.completed_by !== 'system')
    const system = openMandatory(nodes, status).filter((n) => n.completed_by === 'system' && !(node.depends_on || []).includes(n.code))
    if (!others.length && !system.length) return { action: 'complete' }
  }
  return null
}

export function needs(ev) {
  const out = []
  if (ev.photos) out.push(['photos', { min: ev.photos.min ?? 1, max: ev.photos.max ?? ev.photos.min ?? 1 }])
  if (ev.reading) out.push(['reading', { min: ev.reading.min ?? '', max: ev.reading.max ?? '', unit: ev.reading.unit || '' }])
  if (ev.text) out.push(['text', { n: ev.text.min_length ?? 1 }])
  if (ev.checkbox) out.push(['checkbox', {}])
  if (ev.signature) out.push(['signature', {}])
  if (ev.checkin) out.push(['checkin', { r: ev.checkin.radius_m ?? 300 }])
  return out
}

const TARGET = { schedule: 'scheduled', depart: 'en_route', arrive: 'on_site', start: 'in_progress', complete: 'completed' }

// The job as the phone will see it once the outbox is sent: its status after the queued transitions.
export function effectiveJob(job, pending) {
  const last = [...pending].reverse().find((i) => i.action && TARGET[i.action])
  return last ? { ...job, status: TARGET[last.action], allowed_actions: nextActions(TARGET[last.action]) } : job
}

function nextActions(status) {
  return { scheduled: ['depart'], en_route: ['arrive'], on_site: ['start'], in_progress: ['complete'], completed: [] }[status] || []
}
