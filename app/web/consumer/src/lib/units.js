// Price-list units in the page's language (the API sends the code, and the Chinese word beside it).
import { lang } from './i18n.js'

const EN = { each: 'each', metre: 'm', floor: 'floor', visit: 'visit', set: 'set', hour: 'hour' }
export function unitText(item) { return lang.value === 'en' ? (EN[item.unit] || item.unit) : (item.unit_zh || '') }
