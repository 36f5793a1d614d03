// The consumer pages' words in Chinese (default) and English; every code the API sends has a label
// here, and refusals (RFC 9457 problems) are told from their code and field, never the English detail.
import { ref } from 'vue'

const saved = globalThis.localStorage?.getItem('shifu.lang')
const asked = new URLSearchParams(globalThis.location?.search || '').get('lang')
export const lang = ref((asked || saved) === 'en' ? 'en' : 'zh')
export function setLang(l) {
  lang.value = l
  try { globalThis.localStorage?.setItem('shifu.lang', l) } catch { /* private mode */ }
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN'
}

const zh = {
  brand: '师傅 · 上门服务', switchLang: 'English', today: '今天', tomorrow: '明天', yuan: '¥{v}',
  book: '预约上门', bookTitle: '预约维修 / 保养', fromCode: '已根据售后码填好产品信息', code: '售后码',
  product: '产品', category: '家电类别', chooseCategory: '请选择家电类别', serviceType: '服务类型', brandName: '品牌',
  model: '型号', serial: '序列号', purchaseDate: '购买日期', coverUntil: '整机保修至', optional: '选填',
  problem: '故障描述', problemHint: '例如：不制冷，有异响', photos: '故障照片', photosHint: '最多 6 张，提交预约后上传',
  address: '上门地址', addressHint: '小区、楼栋、门牌号', mapHint: '拖动地图上的图钉到您家的位置', locate: '用我的位置',
  locating: '定位中…', located: '已定位到您的位置', pinSet: '图钉位置', pickOnMap: '在地图上选点',
  geoDenied: '您拒绝了定位授权。请在地图上拖动图钉，或在设置中允许本页面使用位置。',
  geoUnavailable: '暂时无法获取您的位置，请在地图上拖动图钉。', geoTimeout: '定位超时，请在地图上拖动图钉。',
  geoUnsupported: '此浏览器不支持定位，请在地图上拖动图钉。', mapLoading: '地图加载中…',
  checking: '正在查询可预约时段…', notCovered: '抱歉，该地址暂无师傅服务（{what}）。请换一个地址，或拨打客服热线。',
  time: '上门时段', available: '可约', full: '已约满', fullTapped: '该时段已约满，请选择其他时段', noSlots: '近 {n} 天没有可约时段，请换一天或联系客服',
  chooseSlot: '请选择上门时段', contact: '联系人', name: '姓名', phone: '手机号', sendCode: '获取验证码', resend: '{s} 秒后重发',
  codeSent: '验证码已发送', smsCode: '验证码', verify: '验证', verified: '手机号已验证', verifyFirst: '请先验证手机号',
  price: '上门价格', priceNote: '按公开价目表收取；如需加价项目，师傅会在现场列出，须经您确认才收费。',
  warrantyNote: '保修期内的费用由品牌承担（以系统判定为准）。', submit: '确认预约', submitting: '提交中…',
  booked: '预约成功', notFoundCode: '没有找到这个售后码，请核对后重试，或直接预约。', bookWithout: '不用售后码直接预约',
  // tracking
  trackTitle: '服务进度', notFoundTrack: '链接无效或已过期。请使用预约成功后收到的链接。', orderNo: '订单',
  visit: '上门', window: '预约时段', scheduled: '预计上门', technician: '服务师傅', noTechnician: '正在为您安排师傅',
  rating: '评分 {r}', noRating: '新师傅', ratings: '{n} 条评价', onTheWay: '师傅正在赶来', eta: '预计 {t} 到达',
  distance: '距您约 {d}', positionAt: '位置更新于 {t}', noPosition: '等待师傅的位置…', timeline: '进度记录',
  change: '改约 / 取消', reschedule: '改约', cancel: '取消预约', changeFree: '{t} 前可免费改约或取消',
  changeFee: '现在改约或取消需支付 {fee}', changeUntil: '最晚可在 {t} 前在线改约或取消',
  changeClosed: { 'order-closed': '订单已结束，不能改约或取消', 'under-way': '师傅已出发，如需改约请致电客服',
    'too-late': '已过在线改约时间，如需改约请致电客服' },
  cancelReason: '取消原因', cancelReasons: ['已自行修好', '时间不方便', '不想修了', '其他原因'], confirmCancel: '确认取消',
  cancelled: '预约已取消', rescheduled: '已改约，系统会重新为您安排师傅', chooseNewSlot: '选择新的上门时段', keep: '再想想',
  feeCharged: '本次变更费用 {fee}', extras: '加价项目', noExtras: '暂无加价项目', priceLine: '价目表：{name} {price}/{unit}',
  confirmExtra: '同意', refuseExtra: '不同意', extraConfirmed: '已同意', extraRefused: '已拒绝', quantity: '数量 {n}',
  checklist: '需要您确认', confirmDone: '我确认', reading: '读数', done: '已确认', waived: '已免除',
  bill: '费用明细', youPay: '您需支付', brandPays: '品牌承担', total: '合计', draft: '（完工后确定）',
  warranty: '保修判定', rate: '评价师傅', rated: '您的评价', stars: '星级', tags: '标签', comment: '说两句（选填）',
  sendRating: '提交评价', thanks: '感谢您的评价', complain: '投诉', complaints: '我的投诉', complaintCategory: '投诉类型',
  complaintText: '请描述问题', complaintPhotos: '照片', sendComplaint: '提交投诉', complaintSent: '投诉已提交，我们会尽快处理',
  respondBy: '{t} 前回复', resolveBy: '{t} 前处理完', resolution: '处理结果', refund: '退款 {v}', none: '无',
  updated: '进度已更新', retry: '重试', loadFailed: '加载失败', offline: '网络不可用，请检查网络后重试', back: '返回',
  choose: '请选择', send: '提交', required: '请填写{field}', atLeastStar: '请选择星级',
  status: {
    open: '进行中', completed: '已完成', cancelled: '已取消',
    pending: '正在安排师傅', offered: '正在安排师傅', accepted: '师傅已接单', scheduled: '已确认上门时间',
    rescheduled: '上门时间已变更', en_route: '师傅正在赶来', on_site: '师傅已到达', in_progress: '正在服务',
    failed: '本次上门未完成', awaiting_goods: '等待到货',
  },
  serviceTypes: { repair: '维修', maintenance: '保养', install: '安装', delivery: '送货', delivery_install: '送货安装', rework: '返修' },
  actions: {
    create: '已提交预约', release: '货已到，可安排安装', offer: '正在为您安排师傅', accept: '师傅已接单', decline: '正在为您安排师傅',
    expire_offers: '正在重新安排师傅', assign: '已分配师傅', reassign: '已更换师傅', unassign: '正在重新安排师傅',
    schedule: '已确认上门时间', reschedule: '上门时间已变更', rebook: '您已改约', depart: '师傅已出发', arrive: '师傅已到达',
    start: '开始服务', complete: '服务完成', fail: '本次上门未完成', cancel: '已取消',
  },
  charge: { awaiting_consumer: '待您确认', awaiting_approval: '平台审核中', confirmed: '已同意', rejected: '已拒绝', withdrawn: '已撤回' },
  payer: { consumer: '您支付', brand: '品牌承担' },
  warrantyStatus: { in_warranty: '在保修期内', key_parts_only: '仅关键部件在保', out_of_warranty: '已过保修期', unknown: '无法判定' },
  ticket: { open: '待处理', acknowledged: '处理中', resolved: '已解决', rejected: '未受理' },
  changeKind: { reschedule: '改约', cancel: '取消' },
  // The consumer's own checklist steps, worded for the consumer (the catalogue's titles are for staff).
  nodes: {
    'open.consumer_confirms_time': '确认上门时间', 'open.consumer_confirms_arrival': '确认师傅已到达',
    'close.consumer_confirms_done': '验收：确认服务已完成', 'rep.consumer_accepts_quote': '同意维修报价',
    'dlv.consumer_accepts_goods': '签收货物', 'rwk.consumer_satisfied': '确认返修满意', 'fr.consumer_temp_report': '填写冰箱温度',
  },
  fields: {
    name: '姓名', phone: '手机号', address: '上门地址', location: '地图位置', 'appliance.category': '家电类别',
    'appliance.brand': '品牌', 'appliance.model': '型号', problem_description: '故障描述', windows: '上门时段',
    'windows[0]': '上门时段', 'windows[0].end': '上门时段', 'windows[0].start': '上门时段', phone_proof: '手机验证',
    code: '验证码', start: '上门时段', reason: '原因', description: '描述', stars: '星级', files: '照片', category: '家电类别',
    comment: '评价内容', tags: '标签', lon: '地图位置', lat: '地图位置',
  },
}

const en = {
  brand: 'Shifu · home service', switchLang: '中文', today: 'Today', tomorrow: 'Tomorrow', yuan: '¥{v}',
  book: 'Book a visit', bookTitle: 'Book a repair or service', fromCode: 'Product filled in from the service code', code: 'Service code',
  product: 'Product', category: 'Appliance', chooseCategory: 'Choose the appliance', serviceType: 'Service', brandName: 'Brand',
  model: 'Model', serial: 'Serial number', purchaseDate: 'Purchased', coverUntil: 'Whole unit covered until', optional: 'optional',
  problem: 'What is wrong', problemHint: 'e.g. not cooling, strange noise', photos: 'Photos of the problem', photosHint: 'Up to 6; uploaded once booked',
  address: 'Address', addressHint: 'Estate, building, flat number', mapHint: 'Drag the pin to your home', locate: 'Use my location',
  locating: 'Locating…', located: 'Pin moved to your position', pinSet: 'Pin at', pickOnMap: 'Pick on the map',
  geoDenied: 'Location permission was refused. Drag the pin on the map, or allow this page to use your location in settings.',
  geoUnavailable: 'Your position is not available right now; drag the pin on the map.', geoTimeout: 'Locating took too long; drag the pin on the map.',
  geoUnsupported: 'This browser cannot locate you; drag the pin on the map.', mapLoading: 'Loading the map…',
  checking: 'Looking for free slots…', notCovered: 'Sorry, no technician serves this address ({what}). Try another address or call us.',
  time: 'Visit time', available: 'Free', full: 'Full', fullTapped: 'That slot is full; choose another', noSlots: 'No free slot in the next {n} days; call us',
  chooseSlot: 'Choose a visit time', contact: 'Contact', name: 'Name', phone: 'Mobile phone', sendCode: 'Send code', resend: 'Resend in {s} s',
  codeSent: 'Code sent', smsCode: 'SMS code', verify: 'Verify', verified: 'Phone verified', verifyFirst: 'Verify your phone first',
  price: 'Visit price', priceNote: 'From the published price list; any extra is listed on site and charged only if you agree.',
  warrantyNote: 'Costs covered by the warranty are paid by the brand (as the system decides).', submit: 'Book', submitting: 'Sending…',
  booked: 'Booked', notFoundCode: 'This service code is unknown. Check it, or book without it.', bookWithout: 'Book without a code',
  trackTitle: 'Your visit', notFoundTrack: 'This link is invalid or expired. Use the link you got when you booked.', orderNo: 'Order',
  visit: 'Visit', window: 'Visit time', scheduled: 'Planned start', technician: 'Technician', noTechnician: 'Finding a technician for you',
  rating: 'Rated {r}', noRating: 'New technician', ratings: '{n} ratings', onTheWay: 'Your technician is on the way', eta: 'Arrives about {t}',
  distance: 'About {d} away', positionAt: 'Position at {t}', noPosition: 'Waiting for the technician’s position…', timeline: 'Progress',
  change: 'Reschedule / cancel', reschedule: 'Reschedule', cancel: 'Cancel booking', changeFree: 'Free to change or cancel until {t}',
  changeFee: 'Changing or cancelling now costs {fee}', changeUntil: 'Online changes possible until {t}',
  changeClosed: { 'order-closed': 'The order is closed', 'under-way': 'The technician has set off; call us to change',
    'too-late': 'Too late to change online; call us' },
  cancelReason: 'Why cancel?', cancelReasons: ['Fixed it myself', 'Time does not suit', 'No longer needed', 'Other'], confirmCancel: 'Cancel it',
  cancelled: 'Booking cancelled', rescheduled: 'Rescheduled; a technician will be arranged again', chooseNewSlot: 'Choose a new visit time', keep: 'Keep it',
  feeCharged: 'Fee for this change {fee}', extras: 'Extras', noExtras: 'No extras', priceLine: 'Price list: {name} {price}/{unit}',
  confirmExtra: 'Agree', refuseExtra: 'Refuse', extraConfirmed: 'Agreed', extraRefused: 'Refused', quantity: 'Qty {n}',
  checklist: 'For you to confirm', confirmDone: 'I confirm', reading: 'Reading', done: 'Confirmed', waived: 'Waived',
  bill: 'Bill', youPay: 'You pay', brandPays: 'Brand pays', total: 'Total', draft: '(final at completion)',
  warranty: 'Warranty decision', rate: 'Rate the technician', rated: 'Your rating', stars: 'Stars', tags: 'Tags', comment: 'Comment (optional)',
  sendRating: 'Send rating', thanks: 'Thank you for rating', complain: 'Complain', complaints: 'My complaints', complaintCategory: 'Type',
  complaintText: 'What went wrong', complaintPhotos: 'Photos', sendComplaint: 'Send complaint', complaintSent: 'Complaint sent; we will reply soon',
  respondBy: 'Reply by {t}', resolveBy: 'Resolved by {t}', resolution: 'Resolution', refund: 'Refund {v}', none: 'None',
  updated: 'Updated', retry: 'Retry', loadFailed: 'Could not load', offline: 'No network; check it and retry', back: 'Back',
  choose: 'Choose', send: 'Send', required: 'Enter {field}', atLeastStar: 'Choose the stars',
  status: {
    open: 'In progress', completed: 'Completed', cancelled: 'Cancelled',
    pending: 'Finding a technician', offered: 'Finding a technician', accepted: 'Technician assigned', scheduled: 'Time confirmed',
    rescheduled: 'Time changed', en_route: 'On the way', on_site: 'Technician arrived', in_progress: 'Working',
    failed: 'Visit not completed', awaiting_goods: 'Waiting for the goods',
  },
  serviceTypes: { repair: 'Repair', maintenance: 'Maintenance', install: 'Installation', delivery: 'Delivery', delivery_install: 'Delivery and installation', rework: 'Rework' },
  actions: {
    create: 'Booked', release: 'Goods arrived', offer: 'Finding a technician', accept: 'Technician accepted', decline: 'Finding a technician',
    expire_offers: 'Finding another technician', assign: 'Technician assigned', reassign: 'Technician changed', unassign: 'Finding another technician',
    schedule: 'Time confirmed', reschedule: 'Time changed', rebook: 'You rescheduled', depart: 'Technician set off', arrive: 'Technician arrived',
    start: 'Work started', complete: 'Work completed', fail: 'Visit not completed', cancel: 'Cancelled',
  },
  charge: { awaiting_consumer: 'Awaiting you', awaiting_approval: 'Being checked', confirmed: 'Agreed', rejected: 'Refused', withdrawn: 'Withdrawn' },
  payer: { consumer: 'You pay', brand: 'Brand pays' },
  warrantyStatus: { in_warranty: 'In warranty', key_parts_only: 'Key parts only', out_of_warranty: 'Out of warranty', unknown: 'Undecided' },
  ticket: { open: 'Waiting', acknowledged: 'Being handled', resolved: 'Resolved', rejected: 'Not accepted' },
  changeKind: { reschedule: 'Rescheduled', cancel: 'Cancelled' },
  nodes: {
    'open.consumer_confirms_time': 'Confirm the visit time', 'open.consumer_confirms_arrival': 'Confirm the technician arrived',
    'close.consumer_confirms_done': 'Accept the work (it is done)', 'rep.consumer_accepts_quote': 'Accept the repair quote',
    'dlv.consumer_accepts_goods': 'Sign for the goods', 'rwk.consumer_satisfied': 'Confirm the rework fixed it', 'fr.consumer_temp_report': 'Report the fridge temperature',
  },
  fields: {
    name: 'name', phone: 'mobile phone', address: 'address', location: 'map position', 'appliance.category': 'appliance',
    'appliance.brand': 'brand', 'appliance.model': 'model', problem_description: 'problem', windows: 'visit time',
    'windows[0]': 'visit time', 'windows[0].end': 'visit time', 'windows[0].start': 'visit time', phone_proof: 'phone check',
    code: 'SMS code', start: 'visit time', reason: 'reason', description: 'description', stars: 'stars', files: 'photos', category: 'appliance',
    comment: 'comment', tags: 'tags', lon: 'map position', lat: 'map position',
  },
}

const messages = { zh, en }
const lookup = (d, key) => key.split('.').reduce((o, k) => (o == null ? o : o[k]), d)

export function t(key, params = {}) {
  const v = lookup(messages[lang.value], key) ?? lookup(zh, key) ?? key
  return typeof v === 'string' ? v.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? '')) : v
}
// A code's label from a group ("status", "actions", ...); an unknown code shows a neutral word, never itself.
export function label(group, code) {
  return lookup(messages[lang.value], `${group}.${code}`) ?? lookup(zh, `${group}.${code}`) ?? (lang.value === 'en' ? 'Other' : '其他')
}
// A consumer step's words: ours for the known ones, else the catalogue's title.
export function nodeTitle(n) { return messages[lang.value].nodes[n.code] ?? named(n, 'title') }
// Names from the API come in both languages (name_zh/name_en, title_zh/title_en, reason_zh/reason_en...).
export function named(o, base = 'name') { return o ? (lang.value === 'en' ? o[`${base}_en`] : o[`${base}_zh`]) || o[`${base}_zh`] || '' : '' }

// Refusals by problem code (the last segment of its type), then by the validation error's kind.
const problems = {
  zh: {
    'not-covered': '抱歉，该地址暂无师傅服务，请换一个地址',
    'outside-service-hours': '{field}不在服务时间内',
    'phone-not-verified': '请先验证手机号', 'phone-mismatch': '手机号与验证的号码不一致，请重新验证',
    'code-wrong': '验证码不正确（还可尝试 {tries_left} 次）', 'code-expired': '验证码已过期，请重新获取',
    'code-used': '验证码已使用，请重新获取', 'code-attempts-exceeded': '尝试次数过多，请重新获取验证码',
    'verification-unknown': '请重新获取验证码', 'code-sent-recently': '验证码已发送，请 {retry_after_seconds} 秒后再试',
    'too-many-codes': '获取验证码次数过多，请一小时后再试', 'too-many-requests': '操作太频繁，请 {retry_after_seconds} 秒后再试',
    'slot-full': '该时段已约满，请选择其他时段', 'not-a-slot': '请选择列表中的上门时段',
    'change-too-late': '已过在线改约时间，请致电客服', 'change-under-way': '师傅已出发，请致电客服',
    'change-order-closed': '订单已结束', 'already-rated': '您已评价过这次服务', 'job-not-completed': '服务完成后才能评价',
    'too-many-open-complaints': '您已有未处理完的投诉，请等待处理', 'illegal-charge-transition': '这个加价项目已处理过',
    'checkbox-required': '请勾选确认', 'reading-out-of-range': '读数超出范围', 'node-already-done': '已经确认过了',
    'node-dependencies-open': '请等待师傅完成前面的步骤', 'job-not-active': '当前不能确认',
    'photo-too-large': '照片太大', 'unsupported-photo-type': '只支持 JPEG、PNG、WebP 照片', 'too-many-photos': '照片太多（最多 6 张）',
    'unknown-category': '请选择家电类别', 'unknown-service': '该家电暂不支持这项服务', 'not-found': '没有找到',
    'validation-error': '{field}填写有误', offline: '网络不可用，请检查网络后重试', generic: '操作未成功（{status}），请稍后重试',
  },
  en: {
    'not-covered': 'Sorry, no technician serves this address; try another',
    'outside-service-hours': 'The {field} is outside service hours',
    'phone-not-verified': 'Verify your phone first', 'phone-mismatch': 'This is not the number you verified; verify again',
    'code-wrong': 'Wrong code ({tries_left} tries left)', 'code-expired': 'The code expired; get a new one',
    'code-used': 'The code was used; get a new one', 'code-attempts-exceeded': 'Too many tries; get a new code',
    'verification-unknown': 'Get a new code', 'code-sent-recently': 'A code was just sent; retry in {retry_after_seconds} s',
    'too-many-codes': 'Too many codes; retry in an hour', 'too-many-requests': 'Too many requests; retry in {retry_after_seconds} s',
    'slot-full': 'That slot is full; choose another', 'not-a-slot': 'Choose a visit time from the list',
    'change-too-late': 'Too late to change online; call us', 'change-under-way': 'The technician has set off; call us',
    'change-order-closed': 'The order is closed', 'already-rated': 'You already rated this visit', 'job-not-completed': 'You can rate once the work is done',
    'too-many-open-complaints': 'You have an open complaint; please wait for it', 'illegal-charge-transition': 'This extra was already decided',
    'checkbox-required': 'Tick to confirm', 'reading-out-of-range': 'Reading out of range', 'node-already-done': 'Already confirmed',
    'node-dependencies-open': 'Wait for the technician’s earlier steps', 'job-not-active': 'Not possible now',
    'photo-too-large': 'Photo too large', 'unsupported-photo-type': 'Only JPEG, PNG or WebP photos', 'too-many-photos': 'Too many photos (at most 6)',
    'unknown-category': 'Choose the appliance', 'unknown-service': 'This service is not offered for the appliance', 'not-found': 'Not found',
    'validation-error': 'Check the {field}', offline: 'No network; check it and retry', generic: 'That did not work ({status}); try again',
  },
}
// Validation kinds (pydantic's error types, and the schemas' own) told in words.
const kinds = {
  zh: { missing: '请填写{field}', string_too_short: '请填写{field}', string_pattern_mismatch: '{field}格式不正确',
    window_past: '{field}已过去，请重新选择', problem_required: '维修请描述故障', string_too_long: '{field}太长',
    date_in_future: '购买日期不能晚于今天' },
  en: { missing: 'Enter the {field}', string_too_short: 'Enter the {field}', string_pattern_mismatch: 'The {field} is not valid',
    window_past: 'The {field} has passed; choose again', problem_required: 'Describe the problem for a repair', string_too_long: 'The {field} is too long',
    date_in_future: 'The purchase date cannot be in the future' },
}

export function fieldLabel(field) {
  if (!field) return ''
  const f = messages[lang.value].fields
  return f[field] ?? f[field.replace(/\[\d+\]/g, '[0]')] ?? f[field.split('.')[0]] ?? (lang.value === 'en' ? 'form' : '表单')
}

export function problemText(err) {
  if (!err) return ''
  if (err.offline) return problems[lang.value].offline
  const p = err.problem || {}
  const fill = (s, extra = {}) => s.replace(/\{(\w+)\}/g, (_, k) => (k === 'field' ? fieldLabel(extra.field ?? p.field) : (p[k] ?? extra[k] ?? '')))
  if (err.code === 'validation-error' && p.errors?.length) {
    const first = p.errors[0]
    const k = kinds[lang.value][first.type]
    return fill(k || problems[lang.value]['validation-error'], { field: first.field })
  }
  const msg = problems[lang.value][err.code]
  return msg ? fill(msg) : fill(problems[lang.value].generic, { status: err.status })
}
