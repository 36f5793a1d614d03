// The consumer pages' entry: Vue with the Vant components they use, imported one by one so the first
// load carries only those; Vant's own words follow the page's language.
import { createApp, watch } from 'vue'
import {
  Button, Checkbox, CheckboxGroup, Field, Icon, Loading, Locale, Popup, Rate, Tab, Tabs, Tag, Uploader,
} from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import './vant-styles.js'
import './app.css'
import App from './App.vue'
import { lang, setLang } from './lib/i18n.js'

setLang(lang.value)
watch(lang, (l) => (l === 'en' ? Locale.use('en-US', enUS) : Locale.use('zh-CN', zhCN)), { immediate: true })
const app = createApp(App)
for (const c of [Button, Checkbox, CheckboxGroup, Field, Icon, Loading, Popup, Rate, Tab, Tabs, Tag, Uploader]) app.use(c)
app.mount('#app')
