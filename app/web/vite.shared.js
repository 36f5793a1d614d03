// One build recipe for every browser app under app/web/: each app is a folder with its own
// index.html, built into dist/<app>/ and served by FastAPI at /<app>/ (app/web_app.py).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))

// Component libraries list a CDN copy of their icon font after the inlined one (Vant: at.alicdn.com).
// A browser would never need it, but a page must not even name a remote asset: drop remote sources
// from every @font-face that keeps a local one.
const REMOTE = /^(?:https?:)?\/\//
const stripRemoteFonts = {
  postcssPlugin: 'shifu-strip-remote-fonts',
  AtRule: {
    'font-face': (rule) => rule.walkDecls('src', (decl) => {
      const sources = decl.value.match(/url\([^)]*\)(?:\s*format\([^)]*\))?/g) || []
      const local = sources.filter((s) => !REMOTE.test(s.slice(4).replace(/^['"]/, '')))
      if (local.length && local.length < sources.length) decl.value = local.join(', ')
    }),
  },
}

export function appConfig(name, { plugins = [], build = {}, ...rest } = {}) {
  return defineConfig({
    root: here(`./${name}`),
    base: `/${name}/`,
    plugins: [vue(), ...plugins],
    resolve: { alias: { '@shared': here('./shared') } },
    css: { postcss: { plugins: [stripRemoteFonts] } },
    build: { outDir: here(`./dist/${name}`), emptyOutDir: true, manifest: true, ...build },
    server: { proxy: { '/v1': 'http://127.0.0.1:8000' } },
    ...rest,
  })
}
