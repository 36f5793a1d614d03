// Three pages on the History API: book (with or without a service code) and track (by token).
// The server sends the same shell for /book, /book/{code}, /track/{token} and /consumer/....
import { reactive } from 'vue'

export const route = reactive({ name: 'book', params: {} })

export function parse(path) {
  const p = path.replace(/^\/consumer(?=\/|$)/, '')
  let m
  if ((m = p.match(/^\/track\/([^/]+)\/?$/))) return { name: 'track', params: { token: decodeURIComponent(m[1]) } }
  if ((m = p.match(/^\/book\/([^/]+)\/?$/))) return { name: 'book', params: { code: decodeURIComponent(m[1]) } }
  return { name: 'book', params: {} }
}

function apply(path) { Object.assign(route, parse(path)) }

export function go(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  apply(path)
  window.scrollTo(0, 0)
}

window.addEventListener('popstate', () => apply(location.pathname))
apply(location.pathname)
