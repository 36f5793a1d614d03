// Live updates for one tracked order: the event stream (SSE) with the tracking token, which hears only
// this order's progress; polling when the stream is missing or keeps failing; a refresh when the page
// comes back to the foreground. EventSource exists in every browser the page supports (WeChat's too).
export const TRACK_TYPES = [
  'order.cancelled', 'order.completed', 'job.assigned', 'job.accepted', 'job.reassigned', 'job.unassigned',
  'job.scheduled', 'job.rescheduled', 'job.en_route', 'job.arrived', 'job.started', 'job.completed', 'job.failed',
  'job.cancelled', 'checklist.node_completed', 'checklist.node_waived', 'charge.proposed', 'charge.confirmed',
  'charge.refused', 'bill.frozen', 'complaint.resolved',
]

export function startLive({ token, onEvent, onRefresh, pollMs = 30000 }) {
  let source = null
  let timer = null
  let stopped = false
  const poll = () => { if (!timer) timer = setInterval(() => onRefresh('poll'), pollMs) }
  const unpoll = () => { clearInterval(timer); timer = null }

  function connect() {
    if (stopped || typeof EventSource === 'undefined') return poll()
    let opened = false
    source = new EventSource(`/v1/events/stream?types=${TRACK_TYPES.join(',')}&access_token=${encodeURIComponent(token)}`)
    source.onopen = () => { opened = true; unpoll() }
    const handle = (e) => { try { onEvent(JSON.parse(e.data)) } catch { onRefresh('event') } }
    for (const type of TRACK_TYPES) source.addEventListener(type, handle)
    source.onerror = () => {
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close(); source = null
        poll()
        setTimeout(connect, 120000)
      }
    }
  }
  const wake = () => { if (document.visibilityState === 'visible') onRefresh('visible') }
  document.addEventListener('visibilitychange', wake)
  connect()
  return () => {
    stopped = true
    source?.close(); unpoll()
    document.removeEventListener('visibilitychange', wake)
  }
}
