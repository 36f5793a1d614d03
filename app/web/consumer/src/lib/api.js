// The consumer pages use the one shared client; they hold no login, only the order's tracking token.
import { createClient } from '@shared/api.js'

export const api = createClient({ storage: null })

// Multipart upload of photos through the tracking link.
export function uploadPhotos(token, files, { purpose = 'problem', ticketId } = {}) {
  const form = new FormData()
  for (const f of files) form.append('files', f)
  form.append('purpose', purpose)
  if (ticketId) form.append('ticket_id', ticketId)
  return api.request('POST', `/v1/track/${encodeURIComponent(token)}/photos`, { form })
}

export const track = (token, rest = '') => `/v1/track/${encodeURIComponent(token)}${rest}`
