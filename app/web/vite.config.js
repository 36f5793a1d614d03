// Build of the browser apps: the technician app (tech/) served by FastAPI at /tech/, plus Vitest.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  root: fileURLToPath(new URL('./tech', import.meta.url)),
  base: '/tech/',
  plugins: [vue()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('./dist/tech', import.meta.url)),
    emptyOutDir: true,
    // The service worker precaches this list; the build writes it (see tech/sw-manifest plugin below).
    manifest: true,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8000' } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['tests/**/*.test.js'],
    environment: 'node',
  },
})
