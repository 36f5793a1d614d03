// Live updates for one tracked order: the shared event stream (shared/live.js) with the tracking token,
// which hears only this order's progress, polling when the stream is missing or keeps failing.
// EventSource exists in every browser the page supports (WeChat's too).
import { startLive as startShared } from '@shared/live.js'

export const TRACK_TYPES = [
  'order.cancelled', 'order.completed', 'job.assigned', 'job.accepted', 'job.reassigned', 'job.unassigned',
  'job.scheduled', 'job.rescheduled', 'job.en_route', 'job.arrived', 'job.started', 'job.completed', 'job.failed',
  'job.cancelled', 'checklist.node_completed', 'checklist.node_waived', 'charge.proposed', 'charge.confirmed',
  'charge.refused', 'bill.frozen', 'complaint.resolved',
]

export function startLive(opts) {
  return startShared({ types: TRACK_TYPES, pollMs: 30000, retryMs: 120000, ...opts })
}
