// The app's words in Chinese (default) and English, and server refusals (RFC 9457 problems) told in
// the app's language from their code and fields rather than the server's English detail.
import { ref } from 'vue'

const saved = globalThis.localStorage?.getItem('shifu.lang')
export const lang = ref(saved === 'en' ? 'en' : 'zh')
export function setLang(l) { lang.value = l; globalThis.localStorage?.setItem('shifu.lang', l); document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN' }

const zh = {
  app: '师傅端', login: '登录', phone: '手机号', password: '密码', loginFailed: '手机号或密码不正确',
  logout: '退出登录', onDuty: '接单中', offDuty: '休息中', today: '今天', tomorrow: '明天', offers: '新订单',
  noJobs: '暂无工单', noOffers: '暂时没有新订单', window: '预约时段', arrival: '预计到达', pay: '收入',
  distance: '距离', navigate: '导航', details: '详情', accept: '接单', decline: '拒单', declineReason: '拒单原因',
  expiresIn: '剩余', expired: '已过期', taken: '这单已被其他师傅接走了', accepted: '接单成功',
  declined: '已拒单', reasons: ['时间冲突', '距离太远', '不擅长这类服务', '车辆或工具问题', '身体不适', '其他原因'],
  amap: '高德地图', baidu: '百度地图', apple: 'Apple 地图', cancel: '取消',
  contact: '客户', call: '拨打', address: '地址', contactHidden: '接单后可查看客户姓名、电话和地址',
  contactExpired: '服务结束已超过 72 小时，客户联系方式已隐藏', visibleUntil: '联系方式可见至',
  appliance: '设备', model: '型号', serial: '序列号', problem: '故障描述', warranty: '保修判定', notes: '备注',
  checklist: '服务节点', progress: '已完成 {done}/{total}', mandatory: '必做', optional: '选做',
  byConsumer: '客户在手机上确认', bySystem: '系统自动完成', done: '已完成', waived: '已豁免', open: '待完成',
  pendingUpload: '待上传', needs: '需要', photos: '照片 {min}–{max} 张', reading: '读数 {min}–{max} {unit}',
  checkbox: '确认勾选', text: '文字说明（至少 {n} 字）', signature: '客户签名', checkin: '现场定位签到（{r} 米内）',
  takePhoto: '拍照 / 选择照片', readingLabel: '读数', readingHint: '允许范围 {min}–{max} {unit}',
  confirm: '我已确认完成', textLabel: '说明', submit: '提交', signHere: '请客户在此签名', clear: '重写',
  locate: '获取当前位置', located: '已定位（精度约 {acc} 米）', locating: '定位中…', waitsFor: '需先完成：{list}',
  actions: { schedule: '确认预约', depart: '出发', arrive: '到达', start: '开始施工', complete: '完工', fail: '无法完成' },
  joined: { schedule: '提交并确认预约', arrive: '签到并确认到达', complete: '签字并完工' },
  status: { pending: '待派单', offered: '待接单', accepted: '已接单', scheduled: '已预约', en_route: '在路上',
    on_site: '已到达', in_progress: '施工中', rescheduled: '已改约', completed: '已完工', failed: '未完成', cancelled: '已取消',
    awaiting_goods: '等待到货' },
  gateTitle: '还有 {n} 个必做节点未完成', gateHint: '完成以下节点后才能完工：', completeNow: '完工',
  extras: '增项收费', addExtra: '添加增项', item: '项目', quantity: '数量', customItem: '其他项目（需审核）',
  customName: '项目名称', customReason: '原因', price: '单价（元）', extraStatus: { awaiting_consumer: '待客户确认', awaiting_approval: '待审核',
    confirmed: '客户已确认', rejected: '客户已拒绝', withdrawn: '已撤回', lapsed: '已失效', approved: '审核通过' },
  chargesClosed: '增项已结清', closeCharges: '增项确认完毕', noExtras: '暂无增项',
  offline: '当前离线，操作会保存在手机上，联网后自动上传', queued: '{n} 项待上传', synced: '已上传 {n} 项',
  conflict: '未能上传', conflictHint: '订单已变化，此操作未生效：', dismiss: '知道了',
  earnings: '收入与评价', payouts: '结算记录', quality: '服务评分', ratings: '客户评价', noPayouts: '暂无结算',
  me: '我的', home: '工单', lang: 'English', back: '返回', retry: '重试', loadFailed: '加载失败',
  updated: '订单有更新', sending: '提交中…', saved: '已保存在手机上，联网后自动上传', yuan: '¥{v}', km: '{v} 公里', m: '{v} 米',
  minutes: '{n} 分钟', hoursMinutes: '{h} 小时 {m} 分', planned: '路线第 {n} 站', offerMode: { assign: '派单', grab: '抢单' },
  photoCount: '已选 {n} 张', giveBack: '退回此单', uploaded: '已上传 {n} 张', reasonRequired: '请选择原因',
}

const en = {
  app: 'Shifu Tech', login: 'Log in', phone: 'Phone', password: 'Password', loginFailed: 'Wrong phone number or password',
  logout: 'Log out', onDuty: 'On duty', offDuty: 'Off duty', today: 'Today', tomorrow: 'Tomorrow', offers: 'Offers',
  noJobs: 'No jobs', noOffers: 'No new offers', window: 'Window', arrival: 'Planned arrival', pay: 'Pay',
  distance: 'Distance', navigate: 'Navigate', details: 'Details', accept: 'Accept', decline: 'Decline', declineReason: 'Why decline?',
  expiresIn: 'Expires in', expired: 'Expired', taken: 'Another technician took this job', accepted: 'Job accepted',
  declined: 'Declined', reasons: ['Time clash', 'Too far', 'Not my kind of job', 'Vehicle or tools', 'Unwell', 'Other'],
  amap: 'Amap (高德)', baidu: 'Baidu Maps', apple: 'Apple Maps', cancel: 'Cancel',
  contact: 'Consumer', call: 'Call', address: 'Address', contactHidden: "The consumer's name, phone and address show once you accept",
  contactExpired: 'More than 72 hours since the job ended: contact details are hidden', visibleUntil: 'Contact visible until',
  appliance: 'Appliance', model: 'Model', serial: 'Serial', problem: 'Problem', warranty: 'Warranty', notes: 'Notes',
  checklist: 'Checklist', progress: '{done}/{total} done', mandatory: 'Required', optional: 'Optional',
  byConsumer: 'The consumer confirms on their phone', bySystem: 'Closed automatically', done: 'Done', waived: 'Waived', open: 'To do',
  pendingUpload: 'Waiting to upload', needs: 'Needs', photos: '{min}–{max} photos', reading: 'reading {min}–{max} {unit}',
  checkbox: 'a tick', text: 'a note (at least {n} characters)', signature: "consumer's signature", checkin: 'on-site check-in (within {r} m)',
  takePhoto: 'Take / choose photos', readingLabel: 'Reading', readingHint: 'Allowed {min}–{max} {unit}',
  confirm: 'I confirm this is done', textLabel: 'Note', submit: 'Submit', signHere: 'Consumer signs here', clear: 'Clear',
  locate: 'Get my position', located: 'Located (±{acc} m)', locating: 'Locating…', waitsFor: 'First finish: {list}',
  actions: { schedule: 'Confirm appointment', depart: 'Depart', arrive: 'Arrive', start: 'Start work', complete: 'Complete', fail: 'Cannot finish' },
  joined: { schedule: 'Submit and confirm appointment', arrive: 'Check in and arrive', complete: 'Sign and complete' },
  status: { pending: 'Pending', offered: 'Offered', accepted: 'Accepted', scheduled: 'Scheduled', en_route: 'On the way',
    on_site: 'On site', in_progress: 'In progress', rescheduled: 'Rescheduled', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled',
    awaiting_goods: 'Awaiting goods' },
  gateTitle: '{n} required steps still open', gateHint: 'Finish these before completing:', completeNow: 'Complete',
  extras: 'Extras', addExtra: 'Add extra', item: 'Item', quantity: 'Quantity', customItem: 'Other item (ops approve)',
  customName: 'Item name', customReason: 'Why', price: 'Unit price (CNY)', extraStatus: { awaiting_consumer: 'Awaiting consumer', awaiting_approval: 'Awaiting ops',
    confirmed: 'Confirmed by consumer', rejected: 'Refused by consumer', withdrawn: 'Withdrawn', lapsed: 'Lapsed', approved: 'Approved' },
  chargesClosed: 'Extras settled', closeCharges: 'Extras are settled', noExtras: 'No extras',
  offline: 'Offline: your work is kept on the phone and uploads when the network returns', queued: '{n} waiting to upload', synced: 'Uploaded {n}',
  conflict: 'Not uploaded', conflictHint: 'The job changed; this did not take effect:', dismiss: 'OK',
  earnings: 'Earnings & quality', payouts: 'Payouts', quality: 'Quality score', ratings: 'Ratings', noPayouts: 'No payouts yet',
  me: 'Me', home: 'Jobs', lang: '中文', back: 'Back', retry: 'Retry', loadFailed: 'Could not load',
  updated: 'Job updated', sending: 'Sending…', saved: 'Saved on the phone; uploads when online', yuan: '¥{v}', km: '{v} km', m: '{v} m',
  minutes: '{n} min', hoursMinutes: '{h} h {m} min', planned: 'Stop {n} on your route', offerMode: { assign: 'Dispatch', grab: 'Grab' },
  photoCount: '{n} selected', giveBack: 'Give this job back', uploaded: '{n} uploaded', reasonRequired: 'Choose a reason',
}

const messages = { zh, en }

function lookup(dict, key) { return key.split('.').reduce((o, k) => (o == null ? o : o[k]), dict) }

export function t(key, params = {}) {
  const v = lookup(messages[lang.value], key) ?? lookup(zh, key) ?? key
  return typeof v === 'string' ? v.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? '')) : v
}

// Server refusals by code; {field} and the problem's own members fill the blanks.
const problems = {
  zh: {
    'reading-out-of-range': '读数 {value} {unit} 超出允许范围 {min}–{max} {unit}',
    'reading-missing': '请填写读数（允许范围 {min}–{max} {unit}）',
    'checkin-too-far': '您距离客户地址 {distance_m} 米，需在 {radius_m} 米内签到',
    'checkin-missing': '请先获取当前位置再签到',
    'photos-missing': '照片数量不够，请补拍',
    'signature-missing': '请让客户签名',
    'text-too-short': '说明文字太短',
    'checkbox-required': '请勾选确认',
    'node-dependencies-open': '请先完成前面的节点',
    'node-already-done': '这个节点已经完成了',
    'job-not-active': '订单当前状态不能操作（{current_status_text}）',
    'checklist-incomplete': '还有必做节点未完成，不能完工',
    'photo-reused': '这张照片已在其他订单中使用过，请现场重新拍摄',
    'photo-duplicate': '重复的照片',
    'photo-too-large': '照片太大',
    'unsupported-photo-type': '只支持 JPEG、PNG、WebP 照片',
    'too-many-photos': '照片超过上限',
    'illegal-transition': '订单已变为“{current_status_text}”，不能执行此操作',
    'no-open-offer': '这单已被其他师傅接走了',
    'offer-expired': '这个订单已过期',
    'decline-deadline-passed': '已过可拒单时间，请联系调度员',
    'reason-required': '请选择原因',
    'unauthorized': '登录已过期，请重新登录',
    'not-found': '订单不存在或已不属于您',
    'forbidden': '没有权限进行此操作',
    'charges-closed': '增项已结清，不能再添加',
    'charges-pending': '还有增项待客户确认',
    offline: '网络不可用',
    generic: '操作未成功（{status}）',
  },
  en: {
    'reading-out-of-range': 'Reading {value} {unit} is outside the allowed range {min}–{max} {unit}',
    'reading-missing': 'Enter the reading (allowed {min}–{max} {unit})',
    'checkin-too-far': "You are {distance_m} m from the consumer's address; check in within {radius_m} m",
    'checkin-missing': 'Get your position first',
    'photos-missing': 'Not enough photos',
    'signature-missing': "The consumer's signature is missing",
    'text-too-short': 'The note is too short',
    'checkbox-required': 'Tick the box to confirm',
    'node-dependencies-open': 'Finish the earlier steps first',
    'node-already-done': 'This step is already done',
    'job-not-active': 'The job cannot be worked now ({current_status_text})',
    'checklist-incomplete': 'Required steps are still open',
    'photo-reused': 'This photo was already used on another job; take a new one on site',
    'photo-duplicate': 'Duplicate photo',
    'photo-too-large': 'Photo too large',
    'unsupported-photo-type': 'Only JPEG, PNG or WebP photos',
    'too-many-photos': 'Too many photos',
    'illegal-transition': 'The job is now “{current_status_text}”; that is no longer possible',
    'no-open-offer': 'Another technician took this job',
    'offer-expired': 'This offer has expired',
    'decline-deadline-passed': 'Too late to decline in the app; call the dispatcher',
    'reason-required': 'Choose a reason',
    'unauthorized': 'Your session expired; log in again',
    'not-found': 'This job does not exist or is no longer yours',
    'forbidden': 'Not allowed',
    'charges-closed': 'Extras are already settled',
    'charges-pending': 'An extra still awaits the consumer',
    offline: 'No network',
    generic: 'That did not work ({status})',
  },
}

export function problemText(err) {
  const dict = problems[lang.value]
  if (!err) return dict.generic.replace('{status}', '?')
  if (err.offline) return dict.offline
  const p = { ...(err.problem || {}), status: err.status }
  if (p.current_status) p.current_status_text = t(`status.${p.current_status}`)
  const code = err.code || (err.status === 403 ? 'forbidden' : err.status === 401 ? 'unauthorized' : null)
  const template = dict[code] || dict.generic
  return template.replace(/\{(\w+)\}/g, (_, k) => (p[k] ?? ''))
}
