// The one HTTP client for Shifu's browser apps (technician app, ops console, consumer pages): bearer token, JSON and multipart bodies, RFC 9457 problems turned into ApiError.

export class ApiError extends Error {
  // status 0 means the request never reached the server (offline, DNS, connection reset).
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
    this.code = codeOf(problem)
    this.field = problem?.field || null
  }
  get offline() { return this.status === 0 }
  // A conflict or refusal the server decided: replaying the same request will not change it.
  get final() { return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429 }
}

// The problem's machine-readable code: the last segment of its `type` URI.
export function codeOf(problem) {
  const type = problem?.type || ''
  return type ? type.slice(type.lastIndexOf('/') + 1) : null
}

export function createClient({ base = '', storage = globalThis.localStorage, tokenKey = 'shifu.token', fetchFn } = {}) {
  const doFetch = fetchFn || ((...a) => globalThis.fetch(...a))
  const listeners = new Set()

  const client = {
    get token() { return storage?.getItem(tokenKey) || null },
    setToken(value) { value ? storage.setItem(tokenKey, value) : storage.removeItem(tokenKey) },
    // Called with the ApiError when the server says the token is no longer good.
    onUnauthorized(fn) { listeners.add(fn); return () => listeners.delete(fn) },

    async request(method, path, { json, form, headers = {}, signal } = {}) {
      const h = { Accept: 'application/json, application/problem+json', ...headers }
      if (client.token) h.Authorization = `Bearer ${client.token}`
      let body
      if (form) body = form
      else if (json !== undefined) { body = JSON.stringify(json); h['Content-Type'] = 'application/json' }
      let res
      try {
        res = await doFetch(base + path, { method, headers: h, body, signal })
      } catch (e) {
        if (e?.name === 'AbortError') throw e
        throw new ApiError(0, { title: 'offline', detail: String(e?.message || e) })
      }
      const text = await res.text()
      let data = null
      if (text) { try { data = JSON.parse(text) } catch { data = { detail: text } } }
      if (!res.ok) {
        const err = new ApiError(res.status, data)
        if (res.status === 401) listeners.forEach((fn) => fn(err))
        throw err
      }
      return data
    },
    get(path, opts) { return client.request('GET', path, opts) },
    post(path, json, opts = {}) { return client.request('POST', path, { ...opts, json }) },
    put(path, json, opts = {}) { return client.request('PUT', path, { ...opts, json }) },
    patch(path, json, opts = {}) { return client.request('PATCH', path, { ...opts, json }) },
    del(path, opts) { return client.request('DELETE', path, opts) },
  }
  return client
}
