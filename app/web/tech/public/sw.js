// The technician app's service worker: the shell (HTML, hashed JS/CSS, icons) from the cache so the
// app opens in a basement or a lift. The day's data is not cached here: the app keeps its own copy,
// updated by every answer including those to its writes, which a cached GET would contradict.
// Writes go through the app's IndexedDB outbox.
const VERSION = 'shifu-tech-v2'
const SHELL = ['/tech/', '/tech/manifest.webmanifest', '/tech/icons/icon-192.png']

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    const cache = await caches.open(VERSION)
    await cache.addAll(SHELL)
    // The build's hashed assets, listed by Vite's manifest: precache them with the shell.
    try {
      const manifest = await (await fetch('/tech/.vite/manifest.json')).json()
      const files = new Set()
      for (const entry of Object.values(manifest)) {
        if (entry.file) files.add('/tech/' + entry.file)
        for (const css of entry.css || []) files.add('/tech/' + css)
      }
      await cache.addAll([...files])
    } catch { /* the shell alone still opens; assets are cached as they load */ }
    self.skipWaiting()
  })())
})

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== VERSION) await caches.delete(key)
    await self.clients.claim()
  })())
})

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url)
  if (e.request.method !== 'GET' || url.origin !== location.origin) return
  if (url.pathname.startsWith('/tech/assets/')) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request).then((r) => put(e.request, r))))
  } else if (url.pathname.startsWith('/tech')) {
    // Screens are routes of one page: any /tech/... navigation gets the shell, from the cache at
    // once (a slow link costs seconds per round trip) while the network refreshes it for next time.
    // A stale shell is still whole: the hashed assets it names are precached with it.
    const key = e.request.mode === 'navigate' ? '/tech/' : e.request
    const fresh = fetch(e.request).then((r) => put(key, r))
    e.waitUntil(fresh.catch(() => {}))
    e.respondWith(caches.match(key).then((hit) => hit || fresh))
  }
})

async function put(key, response) {
  if (response.ok) {
    const cache = await caches.open(VERSION)
    await cache.put(key, response.clone())
  }
  return response
}
