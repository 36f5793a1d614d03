"""The consumer's page behind the tracking link: where the visit stands, extra charges to confirm or
refuse, the bill, the warranty decision, a rating once the work is done, and a complaint form.

Server-rendered for what must show without JavaScript (status, visits, timeline); the actions use the
same JSON endpoints as any other consumer client (/v1/track/{token}/...). Self-contained: no CDN.
"""

import html
import json

TEXT = {
    "zh": {
        "title": "师傅 Shifu · 服务进度", "windows": "预约时段", "visits": "上门服务", "timeline": "进度",
        "service": "服务", "appliance": "电器", "status": "状态", "technician": "师傅", "window": "时段",
        "charges": "待确认的额外费用", "no_charges": "没有待确认的费用", "confirm": "确认", "reject": "拒绝",
        "bill": "账单", "warranty": "保修", "rate": "评价服务", "stars": "评分", "comment": "留言",
        "submit": "提交", "complaint": "投诉", "category": "类型", "description": "描述", "thanks": "已提交，谢谢",
        "payer_consumer": "您支付", "payer_brand": "品牌支付", "total": "合计", "lang": "English",
        "confirmed": "已确认", "rejected": "已拒绝", "unit_price": "单价", "qty": "数量",
    },
    "en": {
        "title": "Shifu · your service", "windows": "Preferred windows", "visits": "Visits", "timeline": "Timeline",
        "service": "service", "appliance": "appliance", "status": "status", "technician": "technician",
        "window": "window", "charges": "Extra charges to confirm", "no_charges": "Nothing to confirm",
        "confirm": "Confirm", "reject": "Refuse", "bill": "Bill", "warranty": "Warranty", "rate": "Rate the service",
        "stars": "Stars", "comment": "Comment", "submit": "Send", "complaint": "Complaint", "category": "Kind",
        "description": "What happened", "thanks": "Sent, thank you", "payer_consumer": "you pay",
        "payer_brand": "the brand pays", "total": "Total", "lang": "中文", "confirmed": "confirmed",
        "rejected": "refused", "unit_price": "unit price", "qty": "qty",
    },
}

COMPLAINT_KINDS = {
    "overcharge": ("乱收费", "overcharged"), "no_show": ("未按时上门", "no show"), "poor_work": ("服务质量差", "poor work"),
    "damage": ("损坏物品", "damage"), "rude": ("态度差", "rude"), "fake_repair": ("虚假维修", "fake repair"),
    "other": ("其他", "other"),
}


def render(view: dict, token: str, lang: str = "zh") -> str:
    lang = lang if lang in TEXT else "zh"
    t = TEXT[lang]
    e = html.escape
    jobs = "".join(
        f"<tr><td>{e(j['service_type'])}</td><td>{e(j['category'])}</td>"
        f"<td class=status data-job='{e(j['id'])}'>{e(j['status'])}</td>"
        f"<td>{e(j['technician_name'] or '-')}</td><td>{e(j['window_start'])} - {e(j['window_end'])}</td></tr>"
        for j in view["jobs"]
    )
    timeline = "".join(
        f"<li>{e(ev['at'])}: {e(ev['service_type'])} {e(ev['action'])} &rarr; {e(ev['status'])}</li>"
        for ev in view["timeline"]
    )
    windows = "".join(f"<li>{e(w['start'])} - {e(w['end'])}</li>" for w in view["windows"])
    kinds = "".join(
        f"<option value='{k}'>{e(zh if lang == 'zh' else en)}</option>" for k, (zh, en) in COMPLAINT_KINDS.items()
    )
    other = "en" if lang == "zh" else "zh"
    config = json.dumps({"token": token, "lang": lang, "text": t, "jobs": view["jobs"]}, ensure_ascii=False)
    return f"""<!doctype html><html lang={lang}><head><meta charset=utf-8>
<meta name=viewport content='width=device-width,initial-scale=1'>
<link rel=icon href="data:,"><title>{e(t['title'])} {e(view['order_id'][:8])}</title>
<style>
body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#222}}
h1{{font-size:1.3rem}} h2{{font-size:1.05rem;margin-top:1.5rem;border-bottom:1px solid #ddd}}
table{{border-collapse:collapse;width:100%}} td,th{{padding:.3rem;border-bottom:1px solid #eee;text-align:left;font-size:.9rem}}
button{{padding:.4rem .8rem;margin:.1rem;border-radius:.3rem;border:1px solid #888;background:#fff}}
button.primary{{background:#1565c0;color:#fff;border-color:#1565c0}} .muted{{color:#777}} .error{{color:#b00020}}
.card{{border:1px solid #ddd;border-radius:.4rem;padding:.6rem;margin:.4rem 0}} textarea,select,input{{font:inherit}}
</style></head><body>
<p style="text-align:right"><a href="?lang={other}">{e(t['lang'])}</a></p>
<h1>{e(view['service_type'])}: <span id=order-status>{e(view['status'])}</span></h1><p>{e(view['address'])}</p>
<h2>{e(t['windows'])}</h2><ul>{windows}</ul>
<h2>{e(t['visits'])}</h2><table><tr><th>{e(t['service'])}</th><th>{e(t['appliance'])}</th><th>{e(t['status'])}</th>
<th>{e(t['technician'])}</th><th>{e(t['window'])}</th></tr>{jobs}</table>
<section id=charges><h2>{e(t['charges'])}</h2><div id=charge-list class=muted>…</div></section>
<section id=bill><h2>{e(t['bill'])}</h2><div id=bill-body class=muted>…</div></section>
<section id=warranty><h2>{e(t['warranty'])}</h2><div id=warranty-body class=muted>…</div></section>
<section id=rating hidden><h2>{e(t['rate'])}</h2><div id=rating-forms></div></section>
<section id=complaint><h2>{e(t['complaint'])}</h2>
<form id=complaint-form><label>{e(t['category'])} <select name=category>{kinds}</select></label><br>
<label>{e(t['description'])}<br><textarea name=description rows=3 cols=40 required maxlength=2000></textarea></label><br>
<button class=primary type=submit>{e(t['submit'])}</button> <span class=result></span></form></section>
<h2>{e(t['timeline'])}</h2><ol>{timeline}</ol>
<script>const SHIFU = {config};</script>
<script>{_SCRIPT}</script>
</body></html>"""


# Plain JavaScript (no build step); every request goes to the consumer's own /v1/track/{token} API.
_SCRIPT = r"""
(function () {
  const T = SHIFU.text, base = '/v1/track/' + encodeURIComponent(SHIFU.token);
  const el = (tag, attrs, ...kids) => { const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) { if (k === 'onclick') n.onclick = v; else n.setAttribute(k, v); }
    for (const k of kids) n.append(k); return n; };
  const name = o => (SHIFU.lang === 'en' ? (o.name_en || o.name_zh) : (o.name_zh || o.name_en)) || o.code || '';
  const yuan = c => '¥' + (c / 100).toFixed(2);
  async function call(method, path, body) {
    const r = await fetch(base + path, {method, headers: body ? {'content-type': 'application/json'} : {},
      body: body ? JSON.stringify(body) : undefined});
    const data = r.headers.get('content-type', '').includes('json') ? await r.json() : null;
    if (!r.ok) throw new Error((data && (data.detail || data.title)) || r.status);
    return data;
  }
  const STATE = {awaiting_consumer: '', confirmed: T.confirmed, rejected: T.rejected, withdrawn: '—'};
  async function charges() {
    const box = document.getElementById('charge-list');
    try {
      const items = await call('GET', '/charges');
      box.replaceChildren(); box.className = '';
      if (!items.some(c => c.status === 'awaiting_consumer')) box.append(el('p', {class: 'muted'}, T.no_charges));
      for (const c of items) {
        const res = el('span', {class: 'result'});
        const act = verb => async () => { try { await call('POST', '/charges/' + c.id + '/' + verb); refresh(); }
          catch (err) { res.textContent = err.message; res.className = 'error'; } };
        const buttons = c.status === 'awaiting_consumer'
          ? [el('button', {class: 'primary', onclick: act('confirm')}, T.confirm), el('button', {onclick: act('reject')}, T.reject)]
          : [el('span', {class: 'state'}, STATE[c.status] ?? c.status)];
        box.append(el('div', {class: 'card charge', 'data-charge': c.id},
          el('b', {}, name(c)), ' ', `${T.qty} ${c.quantity} × ${yuan(c.unit_price_cents)} = `, el('b', {}, yuan(c.amount_cents)),
          el('br'), c.note || '', el('br'), ...buttons, res));
      }
    } catch (err) { box.textContent = err.message; }
  }
  async function bill() {
    const box = document.getElementById('bill-body');
    try {
      const b = await call('GET', '/bill');
      const bills = b.bills;
      box.replaceChildren(); box.className = '';
      for (const one of bills) {
        const rows = (one.lines || []).map(l => el('tr', {}, el('td', {}, name(l)), el('td', {}, String(l.quantity ?? 1)),
          el('td', {}, yuan(l.amount_cents)), el('td', {}, l.payer === 'brand' ? T.payer_brand : T.payer_consumer)));
        box.append(el('table', {}, ...rows), el('p', {},
          `${T.total}: ${T.payer_consumer} ${yuan(one.consumer_cents)} · ${T.payer_brand} ${yuan(one.brand_cents)}`));
      }
    } catch (err) { box.textContent = err.message; }
  }
  async function warranty() {
    const box = document.getElementById('warranty-body');
    try {
      const w = await call('GET', '/warranty');
      const list = Array.isArray(w) ? w : (w.items || w.decisions || [w]);
      box.replaceChildren(); box.className = '';
      for (const d of list) if (d) box.append(el('p', {}, el('b', {}, d.status || ''), ' ',
        SHIFU.lang === 'en' ? (d.reason_en || '') : (d.reason_zh || '')));
    } catch (err) { box.textContent = err.message; }
  }
  async function ratingForms() {
    const done = SHIFU.jobs.filter(j => j.status === 'completed');
    if (!done.length) return;
    let tags = [];
    try { const r = await fetch('/v1/feedback/tags'); if (r.ok) { const d = await r.json(); tags = Array.isArray(d) ? d : (d.items || d.tags || []); } } catch (e) {}
    const section = document.getElementById('rating'), box = document.getElementById('rating-forms');
    section.hidden = false;
    for (const j of done) {
      const stars = el('select', {name: 'stars'}, ...[5, 4, 3, 2, 1].map(s => el('option', {value: s}, '★'.repeat(s))));
      const boxes = tags.map(t => el('label', {}, el('input', {type: 'checkbox', value: t.code}), name(t), ' '));
      const comment = el('textarea', {name: 'comment', rows: 2, cols: 40, maxlength: 500});
      const res = el('span', {class: 'result'});
      const send = el('button', {class: 'primary', type: 'button', onclick: async () => {
        const chosen = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
        try { await call('POST', '/jobs/' + j.id + '/rating', {stars: Number(stars.value), tags: chosen, comment: comment.value || null});
          res.textContent = T.thanks; send.disabled = true; }
        catch (err) { res.textContent = err.message; res.className = 'error'; } }}, T.submit);
      box.append(el('div', {class: 'card rating', 'data-job': j.id}, `${j.service_type} · ${j.category}`, el('br'),
        T.stars, ' ', stars, el('br'), ...boxes, el('br'), T.comment, el('br'), comment, el('br'), send, res));
    }
  }
  document.getElementById('complaint-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = ev.target, res = f.querySelector('.result');
    const body = {category: f.category.value, description: f.description.value};
    if (SHIFU.jobs.length === 1) body.job_id = SHIFU.jobs[0].id;
    try { await call('POST', '/complaints', body); res.textContent = T.thanks; res.className = 'result'; f.reset(); }
    catch (err) { res.textContent = err.message; res.className = 'error'; }
  });
  function refresh() { charges(); bill(); }
  refresh(); warranty(); ratingForms();
})();
"""
