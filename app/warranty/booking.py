"""The consumer's side of a service code: what the code may tell anyone who scans it, and the booking
page it opens - a self-contained form (no CDN, no external assets) pre-filled from the product that
posts to POST /v1/consumer/bookings and shows the tracking link it returns."""

import html
import json
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.orders.schemas import Appliance
from app.warranty import service
from app.warranty.decisions import add_months

BRAND_MAX = Appliance.model_fields["brand"].metadata[0].max_length


def service_code_view(session: Session, raw_code: str, base_url: str) -> dict:
    """Product facts for the pre-fill and the cover; no consumer data (the code is printed on the product)."""
    product, brand, category = service.product_by_code(session, raw_code)
    policy = service.effective_policy(session, brand.id, product.category)
    cover = None
    if policy is not None:
        cover = {
            "whole_unit_months": policy.whole_unit_months,
            "whole_unit_until": add_months(product.purchase_date, policy.whole_unit_months),
            "key_part_months": policy.key_part_months,
            "key_parts_until": add_months(product.purchase_date, policy.key_part_months),
            "key_parts": policy.key_parts,
        }
    return {
        "service_code": product.service_code,
        "category": category.code,
        "category_name_zh": category.name_zh,
        "category_name_en": category.name_en,
        "brand": brand.name[:BRAND_MAX],
        "model": product.model,
        "serial": product.serial,
        "purchase_date": product.purchase_date,
        "booking_url": service.booking_url(base_url, product.service_code),
        "cover": cover,
    }


TEXT = {
    "zh": {
        "title": "预约上门服务", "product": "您的产品", "code": "售后码", "brand": "品牌", "category": "品类",
        "model": "型号", "serial": "序列号", "purchase_date": "购买日期", "cover": "整机保修至",
        "you": "预约信息", "service_type": "服务类型", "repair": "维修", "maintenance": "保养",
        "name": "联系人", "phone": "手机号", "address": "上门地址", "lon": "经度", "lat": "纬度",
        "locate": "使用我的位置", "start": "最早上门时间", "end": "最晚上门时间", "problem": "故障描述",
        "notes": "备注（选填）", "submit": "提交预约", "sending": "提交中…", "done": "预约成功！查看进度：",
        "failed": "提交失败：", "switch": "English", "switch_lang": "en",
    },
    "en": {
        "title": "Book a visit", "product": "Your product", "code": "Service code", "brand": "Brand",
        "category": "Category", "model": "Model", "serial": "Serial number", "purchase_date": "Purchase date",
        "cover": "Whole unit covered until", "you": "Your booking", "service_type": "Service",
        "repair": "Repair", "maintenance": "Maintenance", "name": "Name", "phone": "Mobile phone",
        "address": "Address", "lon": "Longitude", "lat": "Latitude", "locate": "Use my location",
        "start": "Earliest visit", "end": "Latest visit", "problem": "What is wrong", "notes": "Notes (optional)",
        "submit": "Book", "sending": "Sending…", "done": "Booked! Follow it here: ", "failed": "Not booked: ",
        "switch": "中文", "switch_lang": "zh",
    },
}

STYLE = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:0 auto;
padding:1rem;color:#222}h1{font-size:1.4rem}fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 1rem}
label{display:block;margin:.5rem 0 .2rem}input,select,textarea{width:100%;box-sizing:border-box;padding:.45rem;
font-size:1rem}input[readonly]{background:#f3f3f3;border:1px solid #ddd}.row{display:flex;gap:.5rem}.row>div{flex:1}
button{padding:.6rem 1.2rem;font-size:1rem;margin-top:.8rem}#result{margin-top:1rem;font-weight:600}
.err{color:#b00020}.lang{float:right}
"""

SCRIPT = """
const T = JSON.parse(document.getElementById('texts').textContent);
const form = document.getElementById('booking');
const result = document.getElementById('result');
const v = (name) => form.elements[name].value.trim();
const stamp = (value) => (value.length === 16 ? value + ':00' : value) + T.offset;
document.getElementById('locate').addEventListener('click', () => {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((p) => {
    form.elements.lon.value = p.coords.longitude.toFixed(6);
    form.elements.lat.value = p.coords.latitude.toFixed(6);
  });
});
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  result.className = '';
  result.textContent = T.sending;
  const body = {
    service_type: v('service_type'), name: v('name'), phone: v('phone'), address: v('address'),
    location: {lon: Number(v('lon')), lat: Number(v('lat'))},
    appliance: {category: v('category'), brand: v('brand'), model: v('model'), serial: v('serial'),
                purchase_date: v('purchase_date')},
    problem_description: v('problem_description') || null,
    windows: [{start: stamp(v('start')), end: stamp(v('end'))}],
    notes: v('notes') || null,
  };
  try {
    const response = await fetch('/v1/consumer/bookings', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    const out = await response.json();
    result.textContent = '';
    if (response.status === 201) {
      const link = document.createElement('a');
      link.href = out.tracking_url;
      link.textContent = out.tracking_url;
      result.append(T.done, link);
      form.hidden = true;
    } else {
      result.className = 'err';
      result.textContent = T.failed + (out.detail || response.statusText);
    }
  } catch (error) {
    result.className = 'err';
    result.textContent = T.failed + error;
  } finally {
    button.disabled = false;
  }
});
"""


def _json_for_script(value) -> str:
    # Inside <script type=application/json>: "</" would end the element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def booking_page(view: dict, lang: str, tz: ZoneInfo) -> tuple[str, str]:
    """The page and the nonce its Content-Security-Policy must allow for the inline style and script."""
    t = TEXT[lang]
    e = html.escape
    nonce = secrets.token_urlsafe(16)
    now = datetime.now(tz)
    tomorrow = now.date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(9, 0))
    offset = now.strftime("%z")
    texts = {k: t[k] for k in ("sending", "done", "failed")} | {"offset": f"{offset[:3]}:{offset[3:]}"}
    category = view["category_name_zh"] if lang == "zh" else view["category_name_en"]
    cover = view["cover"]

    def shown(key: str, label: str, value, name: str | None = None) -> str:
        named = f' name="{name}"' if name else ""
        return (f'<label for="{key}">{e(t[label])}</label>'
                f'<input id="{key}"{named} value="{e(str(value))}" readonly>')

    def field(name: str, label: str, kind: str = "text", extra: str = "") -> str:
        return f'<label for="{name}">{e(t[label])}</label><input id="{name}" name="{name}" type="{kind}" {extra}>'

    product = "".join([
        shown("code", "code", view["service_code"]),
        shown("brand", "brand", view["brand"], "brand"),
        shown("category_name", "category", category),
        shown("model", "model", view["model"], "model"),
        shown("serial", "serial", view["serial"], "serial"),
        shown("purchase_date", "purchase_date", view["purchase_date"].isoformat(), "purchase_date"),
        shown("cover", "cover", cover["whole_unit_until"].isoformat()) if cover else "",
        f'<input type="hidden" name="category" value="{e(view["category"])}">',
    ])
    you = "".join([
        f'<label for="service_type">{e(t["service_type"])}</label><select id="service_type" name="service_type">'
        f'<option value="repair">{e(t["repair"])}</option><option value="maintenance">{e(t["maintenance"])}</option>'
        "</select>",
        field("name", "name", extra='required maxlength="100" autocomplete="name"'),
        field("phone", "phone", "tel", 'required pattern="\\+?[0-9][0-9 \\-]{5,19}" autocomplete="tel"'),
        field("address", "address", extra='required maxlength="500" autocomplete="street-address"'),
        '<div class="row"><div>', field("lon", "lon", "number", 'required step="any" min="-180" max="180"'),
        "</div><div>", field("lat", "lat", "number", 'required step="any" min="-90" max="90"'), "</div></div>",
        f'<button type="button" id="locate">{e(t["locate"])}</button>',
        '<div class="row"><div>',
        field("start", "start", "datetime-local", f'required value="{start.isoformat(timespec="minutes")}"'),
        "</div><div>",
        field("end", "end", "datetime-local", f'required value="{(start + timedelta(hours=3)).isoformat(timespec="minutes")}"'),
        "</div></div>",
        f'<label for="problem_description">{e(t["problem"])}</label>'
        '<textarea id="problem_description" name="problem_description" rows="3" maxlength="2000"></textarea>',
        f'<label for="notes">{e(t["notes"])}</label><textarea id="notes" name="notes" rows="2" maxlength="2000"></textarea>',
    ])
    page = (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{e(t["title"])} - {e(view["brand"])} {e(view["model"])}</title>'
        f'<style nonce="{nonce}">{STYLE}</style></head><body>'
        f'<a class="lang" href="?lang={t["switch_lang"]}">{e(t["switch"])}</a><h1>{e(t["title"])}</h1>'
        f'<form id="booking"><fieldset><legend>{e(t["product"])}</legend>{product}</fieldset>'
        f'<fieldset><legend>{e(t["you"])}</legend>{you}</fieldset>'
        f'<button type="submit">{e(t["submit"])}</button></form><p id="result" role="status"></p>'
        f'<script type="application/json" id="texts">{_json_for_script(texts)}</script>'
        f'<script nonce="{nonce}">{SCRIPT}</script></body></html>'
    )
    return page, nonce


def content_security_policy(nonce: str) -> str:
    return (
        f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
