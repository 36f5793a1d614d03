// One colour per technician state and per job status, shared by the map, the timeline and the legend.
export const STATE_COLORS = { off_duty: '#909399', idle: '#67c23a', en_route: '#e6a23c', on_site: '#9b59b6' }
export const STATUS_COLORS = {
  pending: '#909399', offered: '#909399', awaiting_goods: '#c0c4cc', accepted: '#409eff', scheduled: '#409eff',
  rescheduled: '#409eff', en_route: '#e6a23c', on_site: '#9b59b6', in_progress: '#9b59b6', completed: '#67c23a',
  failed: '#f56c6c', cancelled: '#c0c4cc',
}
