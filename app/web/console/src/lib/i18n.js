// The console's words in Chinese (default) and English, one click apart; rule and reason codes from
// the server told in words.
import { ref } from 'vue'

const saved = globalThis.localStorage?.getItem('shifu.console.lang')
export const lang = ref(saved === 'en' ? 'en' : 'zh')
export function setLang(l) {
  lang.value = l
  globalThis.localStorage?.setItem('shifu.console.lang', l)
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN'
}

const zh = {
  app: '师傅调度台', login: '登录', username: '用户名', password: '密码', loginFailed: '用户名或密码不正确',
  notOps: '只有调度员和管理员可以使用调度台', logout: '退出', lang: 'English', live: '实时', polling: '轮询',
  map: '地图', timeline: '时间轴', runs: '智能调度', queues: '待办队列', kpis: '运营指标', technicians: '师傅',
  date: '日期', today: '今天', tomorrow: '明天', refresh: '刷新', technician: '师傅', job: '工单', address: '地址',
  category: '品类', window: '预约时段', status: '状态', planned: '计划', actions: '操作', reason: '原因',
  state: { off_duty: '休息', idle: '空闲', en_route: '在路上', on_site: '在现场' },
  jobStatus: { pending: '待派单', offered: '待接单', accepted: '已接单', scheduled: '已预约', en_route: '在路上',
    on_site: '已到达', in_progress: '施工中', rescheduled: '已改约', completed: '已完工', failed: '未完成',
    cancelled: '已取消', awaiting_goods: '等待到货' },
  service: { delivery: '配送', install: '安装', repair: '维修', maintenance: '保养', rework: '返修', uninstall: '拆机',
    relocation: '移机', delivery_install: '送装' },
  legend: '图例', jobs: '工单', move: '改派 / 调整', pin: '锁定给该师傅', unpin: '取消锁定', pinned: '已锁定',
  moveTitle: '调整工单', start: '开始时间', check: '规则检查', feasible: '符合全部规则，可以保存',
  violations: '违反以下规则，不能保存：', reasonHint: '请填写原因（会记入工单日志）', save: '确认保存', cancel: '取消',
  saved: '已保存', refused: '未保存', rule: { service_area: '服务区域', skill: '技能', certificate: '资质证书',
    window: '预约时段', overlap: '时间冲突', shift: '班次', capacity: '接单上限', status: '工单状态', technician: '师傅状态' },
  ruleText: {
    service_area: '地址不在该师傅的服务区域内', skill: '师傅缺少技能：{skills}', certificate: '资质证书在该时间无效：{skills}',
    window: '开始时间 {start} 不在预约时段 {window} 内', shift: '超出师傅班次 {shift}', capacity: '师傅当天已有 {jobs} 单（上限 {max}）',
    status: '工单已{status}，不能调整', technician: '该师傅已停用',
  },
  earliest: '最早可开始', runStart: '开始调度', timeLimit: '计算时长（秒）', progress: '进度', runStatus: {
    queued: '排队中', running: '计算中', succeeded: '方案已生成', failed: '失败', committed: '已下发' },
  commit: '确认下发', committed: '方案已下发', preview: '在地图和时间轴上预览', previewing: '正在预览方案',
  stopPreview: '退出预览', totals: '方案对比', planCol: '新方案', currentCol: '当前', assigned: '已分配',
  unassigned: '未分配', km: '行驶里程（公里）', onTime: '准时率', techsUsed: '出勤师傅', explanation: '分配理由',
  unassignedReason: '未分配原因', reasons: {
    NO_SKILLED_TECHNICIAN_COVERS_ADDRESS: '没有具备所需技能的师傅覆盖该地址', NO_TECHNICIAN_FREE_IN_WINDOW: '预约时段内没有空闲师傅',
    CERTIFICATE_EXPIRED: '相关师傅的资质证书已过期', OUTSIDE_EVERY_SERVICE_AREA: '地址不在任何师傅的服务区域内',
    CAPACITY_EXHAUSTED: '合格师傅的接单量已满' },
  details: '详情', runs_history: '调度记录', noPlan: '还没有方案',
  opsQueue: '派单超时', atRisk: '有风险', breaches: '时效违规', tickets: '投诉工单', charges: '增项待审核',
  offerNow: '立即派单', assign: '指派', acknowledge: '受理', approve: '批准', reject: '驳回', view: '查看',
  risk: { not_departed: '师傅尚未出发，时间紧张', not_departed_late: '师傅尚未出发，预计迟到', en_route_tight: '在路上，时间紧张',
    en_route_late: '在路上，预计迟到', unassigned: '临近预约仍无人接单' },
  predicted: '预计到达', minutesLate: '预计迟到 {n} 分钟', empty: '暂无', due: '截止', severity: '级别', amount: '金额',
  kpiToday: '今日', kpi7: '近 7 天', jobsByStatus: '工单状态', onTimeShare: '准时上门率', ftf: '一次修复率',
  reworkShare: '返修率', sla: '时效达成率', rating: '平均评分', utilisation: '师傅利用率', kmPerJob: '单均里程（公里）',
  total: '工单总数', skill: '技能', area: '区域', search: '搜索姓名或电话', shifts: '班次', daysOff: '休息日',
  edit: '编辑', weekday: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'], addShift: '添加班次', addDayOff: '添加休息日',
  certExpiring: '30 天内到期的资质证书', validUntil: '有效期至', expired: '已过期', phone: '电话', from: '从', to: '到',
  progressLbl: { depart: '出发', arrive: '到达', start: '开工', complete: '完工', fail: '失败' }, late: '迟到',
  now: '现在', planTimes: '计划时间', travel: '路程', minutes: '{n} 分钟', position: '位置更新', drag: '拖动工单可改派或调整时间', onlyThese: '只看这些师傅（默认全部）',
}
const en = {
  app: 'Shifu dispatch console', login: 'Log in', username: 'Username', password: 'Password',
  loginFailed: 'Wrong username or password', notOps: 'Only dispatchers and admins can use the console', logout: 'Log out',
  lang: '中文', live: 'Live', polling: 'Polling', map: 'Map', timeline: 'Timeline', runs: 'Dispatch runs', queues: 'Queues',
  kpis: 'KPIs', technicians: 'Technicians', date: 'Date', today: 'Today', tomorrow: 'Tomorrow', refresh: 'Refresh',
  technician: 'Technician', job: 'Job', address: 'Address', category: 'Category', window: 'Window', status: 'Status',
  planned: 'Planned', actions: 'Actions', reason: 'Reason',
  state: { off_duty: 'Off duty', idle: 'Idle', en_route: 'En route', on_site: 'On site' },
  jobStatus: { pending: 'Pending', offered: 'Offered', accepted: 'Accepted', scheduled: 'Scheduled', en_route: 'En route',
    on_site: 'On site', in_progress: 'In progress', rescheduled: 'Rescheduled', completed: 'Completed', failed: 'Failed',
    cancelled: 'Cancelled', awaiting_goods: 'Awaiting goods' },
  service: { delivery: 'Delivery', install: 'Install', repair: 'Repair', maintenance: 'Maintenance', rework: 'Rework',
    uninstall: 'Uninstall', relocation: 'Relocation', delivery_install: 'Delivery + install' },
  legend: 'Legend', jobs: 'Jobs', move: 'Move / reassign', pin: 'Pin to this technician', unpin: 'Unpin', pinned: 'Pinned',
  moveTitle: 'Move job', start: 'Start', check: 'Rule check', feasible: 'Every rule holds: it can be saved',
  violations: 'Breaks these rules, cannot be saved:', reasonHint: 'Reason (goes into the job\'s event log)',
  save: 'Save', cancel: 'Cancel', saved: 'Saved', refused: 'Not saved',
  rule: { service_area: 'Service area', skill: 'Skills', certificate: 'Certificate', window: 'Window', overlap: 'Overlap',
    shift: 'Shift', capacity: 'Capacity', status: 'Job state', technician: 'Technician' },
  ruleText: {},
  earliest: 'earliest start', runStart: 'Start run', timeLimit: 'Time limit (s)', progress: 'Progress', runStatus: {
    queued: 'Queued', running: 'Solving', succeeded: 'Plan ready', failed: 'Failed', committed: 'Committed' },
  commit: 'Commit', committed: 'Plan committed', preview: 'Preview on map and timeline', previewing: 'Previewing the plan',
  stopPreview: 'Stop preview', totals: 'Plan vs current', planCol: 'Plan', currentCol: 'Current', assigned: 'Assigned',
  unassigned: 'Unassigned', km: 'Travel (km)', onTime: 'On time', techsUsed: 'Technicians used', explanation: 'Why here',
  unassignedReason: 'Why unassigned', reasons: {
    NO_SKILLED_TECHNICIAN_COVERS_ADDRESS: 'No technician with the skills covers the address',
    NO_TECHNICIAN_FREE_IN_WINDOW: 'No technician is free in the window', CERTIFICATE_EXPIRED: 'The certificates have expired',
    OUTSIDE_EVERY_SERVICE_AREA: 'Outside every service area', CAPACITY_EXHAUSTED: 'Qualified technicians are full' },
  details: 'Details', runs_history: 'Runs', noPlan: 'No plan yet',
  opsQueue: 'Offers ran out', atRisk: 'At risk', breaches: 'SLA breaches', tickets: 'Complaints', charges: 'Charges to approve',
  offerNow: 'Offer now', assign: 'Assign', acknowledge: 'Acknowledge', approve: 'Approve', reject: 'Reject', view: 'View',
  risk: { not_departed: 'Not set off yet, tight', not_departed_late: 'Not set off yet, will be late', en_route_tight: 'En route, tight',
    en_route_late: 'En route, will be late', unassigned: 'Nobody has taken it and the window is close' },
  predicted: 'Predicted arrival', minutesLate: '{n} min late', empty: 'Nothing here', due: 'Due', severity: 'Severity',
  amount: 'Amount', kpiToday: 'Today', kpi7: 'Last 7 days', jobsByStatus: 'Jobs by status', onTimeShare: 'On-time arrival',
  ftf: 'First-time fix', reworkShare: 'Rework', sla: 'SLA compliance', rating: 'Average rating', utilisation: 'Utilisation',
  kmPerJob: 'km per job', total: 'Jobs', skill: 'Skill', area: 'Area', search: 'Search name or phone', shifts: 'Shifts',
  daysOff: 'Days off', edit: 'Edit', weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], addShift: 'Add shift',
  addDayOff: 'Add day off', certExpiring: 'Certificates expiring within 30 days', validUntil: 'Valid until', expired: 'Expired',
  phone: 'Phone', from: 'From', to: 'To',
  progressLbl: { depart: 'departed', arrive: 'arrived', start: 'started', complete: 'done', fail: 'failed' }, late: 'late',
  now: 'now', planTimes: 'Planned', travel: 'Travel', minutes: '{n} min', position: 'Position', drag: 'Drag a job to move it to another technician or time', onlyThese: 'Only these technicians (all when empty)',
}

export function t(key, params) {
  const dict = lang.value === 'en' ? en : zh
  let v = key.split('.').reduce((o, k) => (o == null ? o : o[k]), dict)
  if (v == null) v = key.split('.').reduce((o, k) => (o == null ? o : o[k]), zh) ?? key
  if (params && typeof v === 'string') v = v.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? ''))
  return v
}

// A broken rule in the console's language: Chinese from the rule and its figures, English as the server says it.
export function ruleMessage(v) {
  if (lang.value === 'en') return v.message
  const tpl = zh.ruleText[v.rule]
  if (!tpl || v.rule === 'overlap') {
    if (v.rule === 'overlap' && v.params?.earliest) return `该时间无法开始：最早 ${v.params.earliest} 才能到达`
    if (v.rule === 'overlap') return v.params?.job_id ? '会使该师傅的后续工单错过预约时段' : '该师傅当天在预约时段内没有空档'
    if (v.rule === 'shift' && !v.params?.shift) return v.params?.day ? `该师傅 ${v.params.day} 不上班` : '会超出师傅班次结束时间'
    return v.message
  }
  if (v.rule === 'shift' && !v.params?.shift) return v.params?.day ? `该师傅 ${v.params.day} 不上班` : '会超出师傅班次结束时间'
  return t(`ruleText.${v.rule}`, { ...v.params, skills: (v.params?.skills || []).join('、'),
    status: t(`jobStatus.${v.params?.status}`) })
}
