"""The technician app (师傅端) in a real phone-sized browser: logging in, an offer raced by two
technicians, an air-conditioner install worked through its whole checklist to completion, offline
work that lands exactly once, and the consumer's phone hidden outside the privacy window."""

import json
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.checklists.models import JobNode, NodePhoto
from app.jobs.models import Job, JobEvent
from app.models_base import utcnow
from app.pricing.models import JobCharge
from tests.browser.tech_phone import AT_ORDER, assign_to, install_order, log_in, offer_to, phone
from tests.factories import technician_headers


def test_two_technicians_race_for_one_offer_and_exactly_one_wins(backend, server, browser):
    api, order, (wang, li) = install_order(backend, server, names=("王师傅", "李师傅"))
    job_id = order["jobs"][0]["id"]
    offer_to(backend, job_id, [wang, li])
    a, b = phone(browser), phone(browser)
    try:
        pa, pb = log_in(a, server, wang), log_in(b, server, li)
        for p in (pa, pb):
            p.click(".van-tab:has-text('新订单')")
            card = p.wait_for_selector(f"[data-offer='{job_id}']")
            text = card.inner_text()
            assert "空调安装" in text and "13800001111" not in text and "文三路" not in text  # nothing private yet
            assert p.inner_text(f"[data-offer='{job_id}'] [data-test=countdown]").strip()
        # Both tap at once: the second click goes out before the first answer is back.
        pa.evaluate(f"document.querySelector(\"[data-offer='{job_id}'] [data-test=accept]\").click()")
        pb.evaluate(f"document.querySelector(\"[data-offer='{job_id}'] [data-test=accept]\").click()")
        winner = None
        for p, tech in ((pa, wang), (pb, li)):
            p.wait_for_function(
                f"location.pathname.includes('{job_id}') || !!document.querySelector(\"[data-offer='{job_id}'] [data-test=outcome]\")")
            if job_id in p.url:
                assert winner is None, "both technicians were told they won"
                winner = (p, tech)
            else:
                assert p.inner_text(f"[data-offer='{job_id}'] [data-test=outcome]") == "这单已被其他师傅接走了"
        assert winner is not None
        page, tech = winner
        page.wait_for_selector("[data-test=call]")
        assert "13800001111" in page.inner_text("[data-test=contact]")
        with Session(backend.engine) as s:
            assert s.get(Job, uuid.UUID(job_id)).technician_id == tech.id
    finally:
        a.close()
        b.close()


def _node(page, code):
    page.click(f"[data-node='{code}']")
    return page.wait_for_selector(f"[data-sheet='{code}']")


def _submit_and_wait(page, code, state="done"):
    page.click(f"[data-sheet='{code}'] [data-test=submit-node]")
    page.wait_for_selector(f"[data-node='{code}'][data-state='{state}']", timeout=20000)


def _big_jpeg(page) -> bytes:
    """A real 3000×2000 camera-sized JPEG, made by the browser itself."""
    data = page.evaluate("""() => { const c = document.createElement('canvas'); c.width = 3000; c.height = 2000;
        const g = c.getContext('2d'); for (let i = 0; i < 400; i++) { g.fillStyle = `hsl(${i * 37 % 360},70%,50%)`;
        g.fillRect(Math.random() * 3000, Math.random() * 2000, 300, 200) } return c.toDataURL('image/jpeg', 0.95) }""")
    import base64

    return base64.b64decode(data.split(",", 1)[1])


def _photos(page, code, n, big=None):
    for i in range(n):
        with page.expect_file_chooser() as fc:
            page.click(f"[data-sheet='{code}'] label:has([data-test=photo-input])")
        payload = big if (big and i == 0) else b"\xff\xd8\xff\xe0" + uuid.uuid4().bytes * 64
        fc.value.set_files({"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": payload})
        page.wait_for_function(f"document.querySelectorAll(\"[data-sheet='{code}'] .thumbs img\").length === {i + 1}")


def _fill(page, node, big=None):
    code, ev = node["code"], node["evidence"]
    sheet = f"[data-sheet='{code}']"
    if ev.get("photos"):
        _photos(page, code, ev["photos"].get("min", 1), big)
    if ev.get("reading"):
        low, high = ev["reading"]["min"], ev["reading"]["max"]
        page.fill(f"{sheet} input[name=reading]", str((low + high) / 2))
    if ev.get("text"):
        page.fill(f"{sheet} textarea[name=text]", "已与用户电话确认需求和地址")
    if ev.get("checkbox"):
        page.click(f"{sheet} [data-test=checkbox]")


def test_an_air_conditioner_install_worked_through_the_app_to_completion(backend, server, browser):
    api, order, (wang,) = install_order(backend, server)
    job_id, token = order["jobs"][0]["id"], order["tracking_token"]
    assign_to(backend, job_id, wang)
    th = technician_headers(api, wang)
    nodes = {n["code"]: n for n in api.get(f"/v1/jobs/{job_id}/checklist", headers=th).json()["nodes"]}
    far = {"longitude": AT_ORDER["longitude"] + 0.03, "latitude": AT_ORDER["latitude"]}  # ~3 km east
    ctx, consumer = phone(browser, geolocation=far), phone(browser)
    problems = []
    try:
        page = log_in(ctx, server, wang)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None)
        page.click(f"[data-job='{job_id}']")
        page.wait_for_selector("[data-test=checklist]")

        _node(page, "open.contact_consumer")
        _fill(page, nodes["open.contact_consumer"])
        _submit_and_wait(page, "open.contact_consumer")
        page.click("[data-action=schedule]")  # opens the appointment node: confirming it schedules the job
        page.wait_for_selector("[data-sheet='open.confirm_appointment']")
        _fill(page, nodes["open.confirm_appointment"])
        _submit_and_wait(page, "open.confirm_appointment")
        page.wait_for_selector("[data-test=job-status]:has-text('已预约')")
        page.click("[data-action=depart]")
        page.wait_for_selector("[data-test=job-status]:has-text('在路上')")

        # Check-in from 3 km away is refused with the distance; at the address it passes and arrives.
        page.click("[data-action=arrive]")
        page.wait_for_selector("[data-sheet='open.checkin'] [data-test=located]")
        page.click("[data-sheet='open.checkin'] [data-test=submit-node]")
        err = page.wait_for_selector("[data-sheet='open.checkin'] [data-test=node-error]").inner_text()
        assert "米" in err and "300 米内" in err, err
        ctx.set_geolocation(AT_ORDER)
        page.click("[data-sheet='open.checkin'] [data-test=locate]")
        page.wait_for_timeout(300)
        _submit_and_wait(page, "open.checkin")
        page.wait_for_selector("[data-test=job-status]:has-text('已到达')")
        page.click("[data-action=start]")
        page.wait_for_selector("[data-test=job-status]:has-text('施工中')")

        big = _big_jpeg(page)
        first_photo = True
        # A reading out of range shows the range, and nothing is written.
        for code in [c for c, n in nodes.items() if n["mandatory"] and n["completed_by"] == "technician"
                     and c not in ("open.contact_consumer", "open.confirm_appointment", "open.checkin", "close.signature")]:
            _node(page, code)
            _fill(page, nodes[code], big if first_photo and nodes[code]["evidence"].get("photos") else None)
            first_photo = first_photo and not nodes[code]["evidence"].get("photos")
            if code == "elec.dedicated_circuit":
                page.fill(f"[data-sheet='{code}'] input[name=reading]", "99")
                page.click(f"[data-sheet='{code}'] [data-test=submit-node]")
                err = page.wait_for_selector(f"[data-sheet='{code}'] [data-test=node-error]").inner_text()
                assert "99 A" in err and "10–40 A" in err, err
                page.fill(f"[data-sheet='{code}'] input[name=reading]", "16")
            _submit_and_wait(page, code)

        # An extra from the price list, confirmed by the consumer on the tracking page.
        page.click("[data-test=add-extra]")
        page.click(".van-action-sheet__item:has-text('铜管')")
        page.click("[data-test=confirm-extra]")
        row = page.wait_for_selector("[data-charge] [data-test=charge-status]:has-text('待客户确认')")
        with Session(backend.engine) as s:
            charge = s.scalar(select(JobCharge).where(JobCharge.job_id == uuid.UUID(job_id)))
        cp = consumer.new_page()
        cp.goto(f"{server}/track/{token}")
        cp.click(f"[data-charge='{charge.id}'] [data-confirm]")
        cp.wait_for_selector(f"[data-charge='{charge.id}'] [data-charge-status]:has-text('已同意')")
        # The technician sees it without reloading (the event stream, or the poll while there is none).
        page.wait_for_selector(f"[data-charge='{charge.id}'] [data-test=charge-status]:has-text('客户已确认')", timeout=40000)
        assert row
        page.click("[data-test=close-charges]")
        page.wait_for_selector("[data-node='close.charges_settled'][data-state='done']")

        # The consumer signs with a finger; signing completes the job.
        page.click("[data-action=complete]")
        pad = page.wait_for_selector("[data-sheet='close.signature'] [data-test=signature]")
        box = pad.bounding_box()
        page.mouse.move(box["x"] + 30, box["y"] + 100)
        page.mouse.down()
        for i in range(12):
            page.mouse.move(box["x"] + 30 + i * 22, box["y"] + 100 + (30 if i % 2 else -30), steps=3)
        page.mouse.up()
        page.click("[data-sheet='close.signature'] [data-test=submit-node]")
        page.wait_for_selector("[data-test=job-status]:has-text('已完工')", timeout=20000)

        with Session(backend.engine) as s:
            assert s.get(Job, uuid.UUID(job_id)).status == "completed"
            sig = s.scalar(select(NodePhoto).join(JobNode, JobNode.id == NodePhoto.job_node_id)
                           .where(JobNode.code == "close.signature", NodePhoto.job_id == uuid.UUID(job_id)))
            assert sig.kind == "signature" and sig.content_type == "image/png" and sig.size_bytes > 1000
            # The camera-sized photo was downscaled on the phone before upload.
            sizes = [p.size_bytes for p in s.scalars(select(NodePhoto).where(NodePhoto.job_id == uuid.UUID(job_id),
                                                                           NodePhoto.content_type == "image/jpeg"))]
            assert max(sizes) < len(big), (max(sizes), len(big))
        cp.goto(f"{server}/track/{token}")
        bill = cp.wait_for_selector("[data-bill]")
        assert "铜管" in bill.inner_text()
        assert problems == []
    finally:
        ctx.close()
        consumer.close()


def test_work_done_offline_lands_once_in_order_when_the_network_returns(backend, server, browser):
    api, order, (wang,) = install_order(backend, server)
    job_id = order["jobs"][0]["id"]
    assign_to(backend, job_id, wang)
    th = technician_headers(api, wang)
    start = api.get(f"/v1/jobs/{job_id}", headers=th).json()["window_start"]
    for code, body in (("open.contact_consumer", {"text": "电话联系过了"}), ("open.confirm_appointment", {"checkbox": True})):
        assert api.post(f"/v1/jobs/{job_id}/checklist/{code}/complete", json=body, headers=th).status_code == 200
    for step in ({"action": "schedule", "scheduled_start": start}, {"action": "depart"}):
        assert api.post(f"/v1/jobs/{job_id}/transitions", json=step, headers=th).status_code == 200
    ctx = phone(browser)
    try:
        page = log_in(ctx, server, wang)
        page.click(f"[data-job='{job_id}']")
        page.wait_for_selector("[data-node='open.checkin']")
        _node(page, "open.checkin")
        page.wait_for_selector("[data-sheet='open.checkin'] [data-test=located]")
        _submit_and_wait(page, "open.checkin")  # online: on site now

        ctx.set_offline(True)
        page.wait_for_selector("[data-test=offline]")
        nodes = {n["code"]: n for n in api.get(f"/v1/jobs/{job_id}/checklist", headers=th).json()["nodes"]}
        for code in ("unit.inspect_with_consumer", "unit.nameplate_serial"):
            _node(page, code)
            _fill(page, nodes[code])
            _submit_and_wait(page, code, state="queued")
        assert page.inner_text("[data-test=pending]").strip() == "2 项待上传"
        with Session(backend.engine) as s:
            assert s.scalar(select(func.count()).select_from(NodePhoto).where(NodePhoto.job_id == uuid.UUID(job_id))) == 0

        page.reload(wait_until="domcontentloaded")  # the app restarts offline: the shell and the job still open
        page.wait_for_selector("[data-node='unit.nameplate_serial'][data-state='queued']")
        ctx.set_offline(False)
        page.wait_for_selector("[data-test=synced]", timeout=20000)
        assert "已上传 2 项" in page.inner_text("[data-test=synced]")
        page.wait_for_selector("[data-node='unit.nameplate_serial'][data-state='done']")
        with Session(backend.engine) as s:
            done = {n.code: n.completed_at for n in s.scalars(select(JobNode).where(
                JobNode.job_id == uuid.UUID(job_id), JobNode.code.in_(["unit.inspect_with_consumer", "unit.nameplate_serial"])))}
            assert None not in done.values()
            assert done["unit.inspect_with_consumer"] < done["unit.nameplate_serial"]  # in the order made
            photos = s.scalar(select(func.count()).select_from(NodePhoto).where(NodePhoto.job_id == uuid.UUID(job_id)))
            assert photos == 3  # 2 + 1, nothing sent twice
    finally:
        ctx.close()


def test_the_consumer_phone_is_hidden_before_acceptance_and_after_the_privacy_window(backend, server, browser):
    api, order, (wang,) = install_order(backend, server)
    job_id = order["jobs"][0]["id"]
    offer_to(backend, job_id, [wang])
    ctx = phone(browser)
    try:
        page = log_in(ctx, server, wang)
        page.goto(f"{server}/tech/jobs/{job_id}")
        hidden = page.wait_for_selector("[data-test=contact-hidden]").inner_text()
        assert "接单后可查看" in hidden and "13800001111" not in page.content()

        with Session(backend.engine) as s:  # accepted, worked and completed four days ago
            job = s.get(Job, uuid.UUID(job_id))
            s.execute(update(Job).where(Job.id == job.id).values(status="completed", technician_id=wang.id))
            from app.actors import SYSTEM
            from app.jobs.service import _append_event

            _append_event(s, job, SYSTEM, "complete", "in_progress", "completed")
            s.execute(update(JobEvent).where(JobEvent.job_id == job.id).values(at=utcnow() - timedelta(days=4)))
            s.commit()
        page.reload()  # the phone's copy shows first; the server's answer then says the window has closed
        gone = page.wait_for_selector("[data-test=contact-hidden]:has-text('72 小时')").inner_text()
        assert "超过 72 小时" in gone and "13800001111" not in page.content()
        assert json.dumps(api.get(f"/v1/tech/jobs/{job_id}", headers=technician_headers(api, wang)).json()).count(
            "13800001111") == 0
    finally:
        ctx.close()
