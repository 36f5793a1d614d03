// Live updates: the event stream (Server-Sent Events, GET /v1/events/stream) when the server has it,
// polling as the fallback when it does not (404) or keeps failing; and a refresh whenever the app
// comes back to the foreground or the network returns, which is when a phone has missed things.
// What a technician's screens show and can change under them (the server's catalogue names them).
export const LIVE_TYPES = [
  'job.offered', 'job.accepted', 'job.declined', 'job.offers_expired', 'job.assigned', 'job.reassigned',
  'job.unassigned', 'job.scheduled', 'job.rescheduled', 'job.cancelled', 'job.completed',
  'checklist.node_completed', 'charge.proposed', 'charge.confirmed', 'charge.refused',
]

export function startLive({ token, onEvent, onRefresh, pollMs = 20000, streamUrl = '/v1/events/stream' }) {
  let source = null
  let timer = null
  let retry = null
  let stopped = false

  const poll = () => { if (!timer) timer = setInterval(() => onRefresh('poll'), pollMs) }
  const unpoll = () => { clearInterval(timer); timer = null }

  function connect() {
    if (stopped || typeof EventSource === 'undefined') return poll()
    let opened = false
    source = new EventSource(`${streamUrl}?types=${LIVE_TYPES.join(',')}&access_token=${encodeURIComponent(token())}`)
    source.onopen = () => { opened = true; unpoll() }
    const handle = (e) => { try { onEvent(JSON.parse(e.data)) } catch { onRefresh('event') } }
    source.onmessage = handle
    for (const type of LIVE_TYPES) source.addEventListener(type, handle)
    source.onerror = () => {
      // Never opened: no stream here (404) or it is down. EventSource would retry every few
      // seconds forever; poll instead and look for the stream again in a few minutes.
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close(); source = null
        poll()
        clearTimeout(retry)
        retry = setTimeout(connect, 180000)
      }
    }
  }

  const wake = () => { if (document.visibilityState === 'visible') onRefresh('visible') }
  const online = () => onRefresh('online')
  document.addEventListener('visibilitychange', wake)
  window.addEventListener('online', online)
  connect()
  return () => {
    stopped = true
    source?.close(); unpoll(); clearTimeout(retry)
    document.removeEventListener('visibilitychange', wake)
    window.removeEventListener('online', online)
  }
}
