// Times in the city's zone to the minute (whatever zone the phone is in), money in yuan.
import { lang, t } from './i18n.js'

export const city = { timeZone: 'Asia/Shanghai' }

const fmt = (opts) => new Intl.DateTimeFormat(lang.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: city.timeZone, ...opts })

export function hm(iso) { return iso ? fmt({ hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '' }
export function day(iso) { return iso ? fmt({ month: lang.value === 'en' ? 'short' : 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(iso)) : '' }
export function dayKey(iso) { return fmt({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso)).filter((p) => p.type !== 'literal').map((p) => p.value).join('-') }
export function dateTime(iso) { return iso ? `${day(iso)} ${hm(iso)}` : '' }
export function span(a, b) { return a ? `${day(a)} ${hm(a)}–${hm(b)}` : '' }
export function yuan(cents) { return cents == null ? '' : t('yuan', { v: (cents / 100).toFixed(cents % 100 ? 2 : 0) }) }
export function relativeDay(iso) {
  const k = dayKey(iso)
  const today = dayKey(new Date().toISOString())
  const tomorrow = dayKey(new Date(Date.now() + 864e5).toISOString())
  return k === today ? t('today') : k === tomorrow ? t('tomorrow') : ''
}
