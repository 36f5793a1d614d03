// Times in the city's zone whatever zone the desktop is set to; the server's config sets the zone.
import { lang } from './i18n.js'

export const city = { timeZone: 'Asia/Shanghai' }

const fmt = (opts) => new Intl.DateTimeFormat(lang.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: city.timeZone, ...opts })
export function hm(iso) { return iso ? fmt({ hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '' }
export function day(iso) { return iso ? fmt({ month: 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(iso)) : '' }
export function dateTime(iso) { return iso ? `${day(iso)} ${hm(iso)}` : '' }
export function span(a, b) { return a ? `${hm(a)}–${hm(b)}` : '' }

// The city's UTC offset in minutes at an instant (for the timeline, which draws in one fixed offset).
export function offsetMinutes(at = new Date()) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: city.timeZone, hourCycle: 'h23', year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at)
  const get = (k) => Number(parts.find((p) => p.type === k).value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - at.getTime()) / 60000)
}

// "YYYY-MM-DD" in the city, `plus` days from today.
export function cityDate(plus = 0) {
  const d = new Date(Date.now() + plus * 86400000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: city.timeZone }).format(d)
}

// An ISO instant for a city-local date and "HH:MM".
export function cityInstant(date, hhmm) {
  const guess = new Date(`${date}T${hhmm}:00Z`)
  return new Date(guess.getTime() - offsetMinutes(guess) * 60000).toISOString()
}

export function pct(x) { return x == null ? '—' : `${(x * 100).toFixed(1)}%` }
export function yuan(cents) { return cents == null ? '' : `¥${(cents / 100).toFixed(2)}` }
