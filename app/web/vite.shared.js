// One build recipe for every browser app under app/web/: each app is a folder with its own
// index.html, built into dist/<app>/ and served by FastAPI at /<app>/ (app/web_app.py).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))

export function appConfig(name, { plugins = [], build = {}, ...rest } = {}) {
  return defineConfig({
    root: here(`./${name}`),
    base: `/${name}/`,
    plugins: [vue(), ...plugins],
    resolve: { alias: { '@shared': here('./shared') } },
    build: { outDir: here(`./dist/${name}`), emptyOutDir: true, manifest: true, ...build },
    server: { proxy: { '/v1': 'http://127.0.0.1:8000' } },
    ...rest,
  })
}
