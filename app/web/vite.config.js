// Build of the technician app (tech/, served at /tech/) and the Vitest set-up for every app.
// The other apps build from their own folder's config: console/vite.config.js, consumer/vite.config.js.
import { fileURLToPath } from 'node:url'
import { appConfig } from './vite.shared.js'

export default appConfig('tech', {
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['tests/**/*.test.js'],
    environment: 'node',
  },
})
