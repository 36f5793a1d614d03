// The technician app's entry: Vue with the Vant components it uses (imported one by one so the
// bundle carries only those), the service worker, and the outbox started before the first screen.
import { createApp } from 'vue'
import {
  ActionSheet, Button, Cell, Checkbox, Empty, Field, Icon, Loading, NavBar, NoticeBar,
  Popup, Stepper, Switch, Tab, Tabbar, TabbarItem, Tabs, Tag,
} from 'vant'
import './vant-styles.js'
import './app.css'
import App from './App.vue'
import { startOutbox } from './store.js'
import { setLang, lang } from './lib/i18n.js'

setLang(lang.value)
const app = createApp(App)
for (const c of [ActionSheet, Button, Cell, Checkbox, Empty, Field, Icon, Loading, NavBar, NoticeBar,
  Popup, Stepper, Switch, Tab, Tabbar, TabbarItem, Tabs, Tag]) app.use(c)
// A node's or item's title in the app's language.
app.config.globalProperties.$lang = (o) => (lang.value === 'en' ? o.title_en || o.name_en : o.title_zh || o.name_zh)
app.mount('#app')
startOutbox()

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => navigator.serviceWorker.register('/tech/sw.js', { scope: '/tech/' }).catch(() => {}))
}
