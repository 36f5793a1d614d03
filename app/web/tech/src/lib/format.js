// Times in the city's zone (whatever zone the phone is set to), money in yuan, distances in km/m.
import { lang, t } from './i18n.js'

export const city = { timeZone: 'Asia/Shanghai' }  // replaced by the server's Settings.city_timezone

const fmt = (opts) => new Intl.DateTimeFormat(lang.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: city.timeZone, ...opts })

export function hm(iso) { return iso ? fmt({ hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '' }
export function dayLabel(iso) { return iso ? fmt({ month: lang.value === 'en' ? 'short' : 'long', day: 'numeric', weekday: 'short' }).format(new Date(iso)) : '' }
export function windowText(a, b) { return `${dayLabel(a)} ${hm(a)}–${hm(b)}` }
export function dateTime(iso) { return iso ? `${dayLabel(iso)} ${hm(iso)}` : '' }
export function yuan(cents) { return t('yuan', { v: (cents / 100).toFixed(cents % 100 ? 2 : 0) }) }
export function distance(m) { return m == null ? '' : m >= 1000 ? t('km', { v: (m / 1000).toFixed(1) }) : t('m', { v: Math.round(m) }) }

export function countdown(ms) {
  if (ms <= 0) return t('expired')
  const mins = Math.floor(ms / 60000)
  if (mins >= 60) return t('hoursMinutes', { h: Math.floor(mins / 60), m: mins % 60 })
  const s = Math.floor((ms % 60000) / 1000)
  return `${String(mins).padStart(2, '0')}:${String(s).padStart(2, '0')}`
}

export function title(job) {
  const zh = lang.value !== 'en'
  return (zh ? job.title_zh : job.title_en) || `${zh ? job.category_zh : job.category_en}`
}
