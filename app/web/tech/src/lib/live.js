// What a technician's screens show and can change under them (the server's catalogue names them);
// the stream and its polling fallback are the shared ones (shared/live.js).
import { startLive as startShared } from '@shared/live.js'

export const LIVE_TYPES = [
  'job.offered', 'job.accepted', 'job.declined', 'job.offers_expired', 'job.assigned', 'job.reassigned',
  'job.unassigned', 'job.scheduled', 'job.rescheduled', 'job.cancelled', 'job.completed',
  'checklist.node_completed', 'charge.proposed', 'charge.confirmed', 'charge.refused',
]

export function startLive(opts) {
  return startShared({ types: LIVE_TYPES, ...opts })
}
