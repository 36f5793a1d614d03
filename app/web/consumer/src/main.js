// Entry point of this app; its screens are built in their own issue (ops console #10, consumer #11).
import { createApp, h } from 'vue'

createApp({ render: () => h('p', 'Shifu') }).mount('#app')
