// Live updates for every app: the event stream (Server-Sent Events, GET /v1/events/stream) when the
// server has it, polling as the fallback when it does not (404) or keeps failing, and a refresh when
// the page comes back to the foreground or the network returns, which is when a phone has missed things.
//
// types: the event types to hear (EventSource needs a listener per named event); token: the bearer or
// tracking token, or a function giving it; onEvent(event) per event; onRefresh(reason) when the screen
// should reload instead; onMode('sse' | 'poll' | 'off') as the source of updates changes.
export function startLive({ types, token, onEvent, onRefresh, onMode = () => {}, pollMs = 20000, retryMs = 180000,
  streamUrl = '/v1/events/stream' }) {
  let source = null
  let timer = null
  let retry = null
  let stopped = false

  const poll = () => { onMode('poll'); if (!timer) timer = setInterval(() => onRefresh('poll'), pollMs) }
  const unpoll = () => { clearInterval(timer); timer = null }

  function connect() {
    if (stopped || typeof EventSource === 'undefined') return poll()
    let opened = false
    const t = typeof token === 'function' ? token() : token
    source = new EventSource(`${streamUrl}?types=${types.join(',')}&access_token=${encodeURIComponent(t)}`)
    source.onopen = () => { opened = true; unpoll(); onMode('sse') }
    const handle = (e) => { try { onEvent(JSON.parse(e.data)) } catch { onRefresh('event') } }
    source.onmessage = handle
    for (const type of types) source.addEventListener(type, handle)
    source.onerror = () => {
      // Never opened: no stream here (404) or it is down. EventSource would retry every few
      // seconds forever; poll instead and look for the stream again later.
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close(); source = null
        poll()
        clearTimeout(retry)
        retry = setTimeout(connect, retryMs)
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
    source?.close(); source = null; unpoll(); clearTimeout(retry)
    document.removeEventListener('visibilitychange', wake)
    window.removeEventListener('online', online)
    onMode('off')
  }
}
