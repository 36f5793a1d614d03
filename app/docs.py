"""The API's documentation pages served from local files (no CDN), and the front door page at `/`.

Swagger UI and ReDoc come from the fastapi-offline package, which ships their built assets, so the
docs work on a machine without internet. The front door is the first thing a newcomer sees: what
Shifu is, where the docs are, which apps exist, and in the embedded demo the credentials to try.
"""

import html
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.db import is_sqlite

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-assets"
# The apps other work adds; linked once the app serves them, listed as coming until then.
APPS = (("/tech/", "师傅工作台", "Technician app"), ("/console/", "调度控制台", "Ops console"))

TEXT = {
    "zh": {
        "lead": "家电配送、安装、维修的开源派单平台：品牌和门店通过 API 下单，消费者预约维修，优化器把工单派给附近合格的师傅。",
        "docs": "API 文档", "swagger": "Swagger UI（可直接调用）", "redoc": "ReDoc（阅读）", "openapi": "OpenAPI 3.1 描述",
        "apps": "应用", "coming": "即将推出", "demo": "演示账号（仅嵌入式演示）", "role": "角色", "login": "登录名 / 密钥",
        "password": "密码", "health": "健康检查", "other": "English",
        "roles": {"admin": "管理员", "dispatcher": "调度员", "technician": "师傅", "brand": "品牌 API 密钥",
                  "shop": "门店 API 密钥"},
        "how": "用户在 POST /v1/auth/login 登录并发送 Authorization: Bearer <token>；客户端发送 X-API-Key。",
    },
    "en": {
        "lead": "Open-source dispatch for appliance delivery, installation and repair: brands and shops post orders "
                "through the API, consumers book repairs, and an optimizer assigns jobs to nearby qualified technicians.",
        "docs": "API documentation", "swagger": "Swagger UI (try it out)", "redoc": "ReDoc (read)",
        "openapi": "OpenAPI 3.1 description", "apps": "Apps", "coming": "coming", "demo": "Demo credentials (embedded demo only)",
        "role": "role", "login": "login / key", "password": "password", "health": "Health", "other": "中文",
        "roles": {"admin": "admin", "dispatcher": "dispatcher", "technician": "technician",
                  "brand": "brand API key", "shop": "shop API key"},
        "how": "Users log in at POST /v1/auth/login and send Authorization: Bearer <token>; clients send X-API-Key.",
    },
}


def _served(app: FastAPI, prefix: str) -> bool:
    return any(getattr(r, "path", "").rstrip("/") == prefix.rstrip("/") or
               getattr(r, "path", "").startswith(prefix) for r in app.routes)


def front_door(app: FastAPI, lang: str) -> str:
    lang = lang if lang in TEXT else "zh"
    t, e = TEXT[lang], html.escape
    other = "en" if lang == "zh" else "zh"
    apps = "".join(
        f"<li><a href='{path}'>{e(zh if lang == 'zh' else en)}</a></li>" if _served(app, path)
        else f"<li>{e(zh if lang == 'zh' else en)} <small>({e(t['coming'])})</small></li>"
        for path, zh, en in APPS
    )
    demo = ""
    settings = app.state.settings
    if settings.load_demo and is_sqlite(settings.database_url):
        from app.demo.seed import DEMO

        rows = [("admin", *DEMO.admin), ("dispatcher", *DEMO.dispatcher), ("technician", *DEMO.technician),
                ("brand", DEMO.brand_key, ""), ("shop", DEMO.shop_key, "")]
        demo = (f"<h2>{e(t['demo'])}</h2><table><tr><th>{e(t['role'])}</th><th>{e(t['login'])}</th>"
                f"<th>{e(t['password'])}</th></tr>"
                + "".join(f"<tr><td>{e(t['roles'][r])}</td><td><code>{e(u)}</code></td><td><code>{e(p)}</code></td></tr>"
                          for r, u, p in rows) + "</table>")
    return f"""<!doctype html><html lang={'zh-CN' if lang == 'zh' else 'en'}><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1"><title>师傅 Shifu</title>
<style>body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}}nav{{float:right}}</style>
</head><body><nav><a href='/?lang={other}' lang={other}>{e(t['other'])}</a></nav>
<h1>师傅 Shifu</h1><p>{e(t['lead'])}</p>
<h2>{e(t['docs'])}</h2><ul><li><a href='/docs'>{e(t['swagger'])}</a></li><li><a href='/redoc'>{e(t['redoc'])}</a></li>
<li><a href='/openapi.json'>{e(t['openapi'])}</a></li></ul><p>{e(t['how'])}</p>
<h2>{e(t['apps'])}</h2><ul>{apps}</ul>{demo}
<p><small><a href='/healthz'>{e(t['health'])}</a> · <a href='/readyz'>/readyz</a></small></p></body></html>"""


def install(app: FastAPI) -> None:
    """Needs FastAPI(docs_url=None, redoc_url=None): these pages replace the CDN-backed defaults."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request, lang: str = "zh"):
        return HTMLResponse(front_door(request.app, lang))

    @app.get("/docs", include_in_schema=False)
    def swagger_ui():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} · Swagger UI",
            oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "tryItOutEnabled": True},
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect():
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc():
        return get_redoc_html(
            openapi_url=app.openapi_url, title=f"{app.title} · ReDoc", redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False,
        )
