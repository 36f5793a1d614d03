// A four-screen router on the History API (home, a job, me, login); vue-router would double the JS.
import { reactive } from 'vue'

const BASE = '/tech'
export const route = reactive({ name: 'home', params: {} })

function parse(path) {
  const p = path.startsWith(BASE) ? path.slice(BASE.length) : path
  let m
  if ((m = p.match(/^\/jobs\/([0-9a-f-]{36})\/?$/))) return { name: 'job', params: { id: m[1] } }
  if (/^\/me\/?$/.test(p)) return { name: 'me', params: {} }
  if (/^\/login\/?$/.test(p)) return { name: 'login', params: {} }
  return { name: 'home', params: {} }
}

function apply(path) { Object.assign(route, parse(path)) }

export function go(path, { replace = false } = {}) {
  const full = BASE + path
  if (replace) history.replaceState(null, '', full)
  else history.pushState(null, '', full)
  apply(full)
  window.scrollTo(0, 0)
}

export function back() { if (history.length > 1) history.back(); else go('/', { replace: true }) }

window.addEventListener('popstate', () => apply(location.pathname))
apply(location.pathname)
