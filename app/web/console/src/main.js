// The ops console's entry: Vue with Element Plus (made for admin consoles), its Chinese or English
// locale, and the console's own styles.
import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './app.css'
import App from './App.vue'
import { setLang, lang } from './lib/i18n.js'

setLang(lang.value)
createApp(App).use(ElementPlus).mount('#app')
