"""The technician works the checklist on site: photos uploaded and checked, readings and check-in checked,
each node closed with its evidence; the consumer signs through the tracking link."""

from app.checklists.models import JobNode, NodePhoto
from tests.app.checklists.builders import jpeg, png
from tests.factories import HANGZHOU


def url(story, code: str, what: str = "complete") -> str:
    return f"/v1/jobs/{story['job'].id}/checklist/{code}/{what}"


def upload(api, story, code: str, *images: bytes, kind: str | None = None, headers=None):
    files = [("files", (f"p{i}.jpg", data, "image/jpeg")) for i, data in enumerate(images)]
    return api.post(url(story, code, "photos"), files=files, data={"kind": kind} if kind else None,
                    headers=headers or story["tech_h"])


def complete(api, story, code: str, body: dict | None = None, headers=None):
    return api.post(url(story, code), json=body or {}, headers=headers or story["tech_h"])


ON_SITE = {"lon": HANGZHOU[0] + 0.01, "lat": HANGZHOU[1] + 0.01}  # the order's address in make_order


def test_technician_completes_nodes_with_their_evidence_and_everyone_sees_the_progress(api, db, story):
    assert complete(api, story, "contact_consumer", {"checkbox": True}).status_code == 200
    r = complete(api, story, "check_in", {"checkin": {"lon": ON_SITE["lon"] + 0.001, "lat": ON_SITE["lat"]}})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "done" and 90 < r.json()["values"]["checkin"]["distance_m"] < 100
    before = jpeg()
    r = upload(api, story, "photo_before", before, jpeg())
    assert r.status_code == 201, r.text
    assert [p["content_type"] for p in r.json()] == ["image/jpeg"] * 2
    photo_id = r.json()[0]["id"]
    assert complete(api, story, "photo_before").status_code == 200
    r = complete(api, story, "pressure", {"reading": 2.8})
    assert r.status_code == 200 and r.json()["values"] == {"reading": 2.8, "unit": "MPa"}

    r = api.get(f"/v1/jobs/{story['job'].id}/checklist", headers=story["client"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    nodes = {n["code"]: n for n in body["nodes"]}
    assert [n["code"] for n in body["nodes"]][:3] == ["accepted", "contact_consumer", "check_in"]
    assert nodes["accepted"]["status"] == "done" and nodes["accepted"]["completed_by_type"] == "system"
    assert nodes["pressure"]["completed_by_type"] == "technician"
    assert nodes["pressure"]["completed_at"].endswith("+08:00")
    assert len(nodes["photo_before"]["photos"]) == 2 and nodes["photo_before"]["evidence"]["photos"]["max"] == 3
    assert body["template"]["code"] == "repair.air_conditioner"
    # Open mandatory: the settlement; the optional note and the consumer's signature do not count.
    assert body["summary"] == {"nodes": 8, "open": 3, "open_mandatory": 1, "done": 5, "waived": 0}

    r = api.get(f"/v1/photos/{photo_id}", headers=story["client"].headers)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg" and r.content == before


def test_consumer_signs_through_the_tracking_link(api, db, story):
    db.query(JobNode).filter(JobNode.job_id == story["job"].id, JobNode.code != "consumer_signature") \
        .update({"status": "done"}, synchronize_session=False)
    base = f"/v1/track/{story['token']}/checklist"
    r = api.get(base)
    assert r.status_code == 200 and [n["code"] for n in r.json()] == ["consumer_signature"]
    sig = f"{base}/{story['job'].id}/consumer_signature"
    r = api.post(sig, json={})
    assert r.status_code == 422 and r.json()["field"] == "signature"
    r = api.post(f"{sig}/photos", files=[("files", ("sig.png", png(), "image/png"))], data={"kind": "signature"})
    assert r.status_code == 201 and r.json()[0]["kind"] == "signature", r.text
    r = api.post(sig, json={})
    assert r.status_code == 200 and r.json()["status"] == "done", r.text
    node = db.query(JobNode).filter_by(job_id=story["job"].id, code="consumer_signature").one()
    db.refresh(node)
    assert node.completed_by_type == "consumer" and node.values["photo_ids"]


def test_ops_waives_a_node_with_a_reason(api, db, story):
    r = api.post(url(story, "consumer_signature", "waive"), json={"reason": "顾客不在家 consumer not home"},
                 headers=story["ops"])
    assert r.status_code == 200 and r.json()["status"] == "waived"
    assert r.json()["waive_reason"].startswith("顾客不在家")
    r = api.post(url(story, "consumer_signature", "waive"), json={"reason": "x"}, headers=story["tech_h"])
    assert r.status_code == 403
    r = api.post(url(story, "accepted", "waive"), json={"reason": "x"}, headers=story["ops"])
    assert r.status_code == 409 and r.json()["type"].endswith("/system-node")


# --- each refusal, and that it wrote nothing -----------------------------------------------------------


def snapshot(db, story) -> tuple:
    db.expire_all()
    nodes = db.query(JobNode).filter_by(job_id=story["job"].id).order_by(JobNode.code).all()
    return (
        [(n.code, n.status, n.values, n.completed_at) for n in nodes],
        db.query(NodePhoto).count(),
    )


def refused(r, status: int, field: str | None = None, type_: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    if field is not None:
        assert body["field"] == field, body
    if type_ is not None:
        assert body["type"].endswith("/" + type_), body
    return body


def walk_to_photos(api, story) -> None:
    assert complete(api, story, "contact_consumer", {"checkbox": True}).status_code == 200
    assert complete(api, story, "check_in", {"checkin": ON_SITE}).status_code == 200


def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused(api, db, story):
    before = snapshot(db, story)
    r = upload(api, story, "photo_before", jpeg(), b"GIF89a" + b"\0" * 100)
    refused(r, 422, "files[1]", "unsupported-photo-type")
    assert snapshot(db, story) == before
    assert not any(story_files(api))


def story_files(api):
    root = api.app.state.storage.root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_over_the_size_limit_is_refused(api, db, story):
    api.app.state.settings = api.app.state.settings.model_copy(update={"photo_max_bytes": 1000})
    before = snapshot(db, story)
    refused(upload(api, story, "photo_before", jpeg(1001)), 422, "files[0]", "photo-too-large")
    assert snapshot(db, story) == before
    assert upload(api, story, "photo_before", jpeg(1000)).status_code == 201


def test_a_photo_already_used_on_another_job_is_refused(api, db, story):
    from tests.app.checklists.conftest import work
    from tests.factories import make_order

    _, (other,) = make_order(db, story["client"].id)
    work(db, other, story["tech"])
    picture = jpeg()
    r = api.post(f"/v1/jobs/{other.id}/checklist/photo_before/photos", files=[("files", ("a.jpg", picture))],
                 headers=story["tech_h"])
    assert r.status_code == 201, r.text
    before = snapshot(db, story)
    body = refused(upload(api, story, "photo_before", jpeg(), picture), 409, "files[1]", "photo-reused")
    assert "another job" in body["detail"] and str(other.id) not in r.text + body["detail"]
    assert snapshot(db, story) == before
    refused(upload(api, story, "photo_before", jpeg(), jpeg(), jpeg(), jpeg()), 422, "files", "too-many-photos")


def test_completion_needs_the_photos_the_node_asks_for(api, db, story):
    walk_to_photos(api, story)
    before = snapshot(db, story)
    refused(complete(api, story, "photo_before"), 422, "photos", "photos-missing")
    assert snapshot(db, story) == before


def test_a_reading_out_of_range_is_refused_with_the_range(api, db, story):
    walk_to_photos(api, story)
    upload(api, story, "photo_before", jpeg())
    complete(api, story, "photo_before")
    before = snapshot(db, story)
    body = refused(complete(api, story, "pressure", {"reading": 5.2}), 422, "reading", "reading-out-of-range")
    assert "0.5..4.5 MPa" in body["detail"] and (body["min"], body["max"], body["unit"]) == (0.5, 4.5, "MPa")
    refused(complete(api, story, "pressure", {}), 422, "reading", "reading-missing")
    refused(complete(api, story, "pressure", {"reading": 1, "text": "x"}), 422, "text")
    assert snapshot(db, story) == before


def test_a_check_in_too_far_from_the_job_is_refused_with_the_distance(api, db, story):
    complete(api, story, "contact_consumer", {"checkbox": True})
    before = snapshot(db, story)
    far = {"lon": ON_SITE["lon"] + 0.01, "lat": ON_SITE["lat"]}  # about 960 m east
    body = refused(complete(api, story, "check_in", {"checkin": far}), 422, "checkin", "checkin-too-far")
    assert 900 < body["distance_m"] < 1000 and body["radius_m"] == 300
    assert f"{body['distance_m']} m" in body["detail"] and "300 m" in body["detail"]
    refused(complete(api, story, "check_in", {"checkin": {"lon": 500, "lat": 0}}), 422, "checkin.lon")
    assert snapshot(db, story) == before


def test_a_node_whose_dependencies_are_open_cannot_be_completed(api, db, story):
    before = snapshot(db, story)
    body = refused(complete(api, story, "check_in", {"checkin": ON_SITE}), 409, type_="node-dependencies-open")
    assert body["open_dependencies"] == ["contact_consumer"]
    assert snapshot(db, story) == before


def test_a_done_node_cannot_be_completed_again(api, db, story):
    assert complete(api, story, "contact_consumer", {"checkbox": True}).status_code == 200
    refused(complete(api, story, "contact_consumer", {"checkbox": True}), 409, type_="node-already-done")


def test_nobody_but_the_jobs_technician_works_its_checklist(api, db, story):
    from tests.factories import make_client, make_technician, technician_headers

    before = snapshot(db, story)
    stranger = technician_headers(api, make_technician(db, name="赵师傅"))
    refused(complete(api, story, "contact_consumer", {"checkbox": True}, headers=stranger), 404)
    refused(upload(api, story, "photo_before", jpeg(), headers=stranger), 404)
    refused(api.get(f"/v1/jobs/{story['job'].id}/checklist", headers=stranger), 404)
    refused(complete(api, story, "contact_consumer", {"checkbox": True}, headers=story["client"].headers), 403)
    other_brand = make_client(db).headers
    refused(api.get(f"/v1/jobs/{story['job'].id}/checklist", headers=other_brand), 404)
    assert snapshot(db, story) == before
    # Ops may stand in for the technician.
    assert complete(api, story, "contact_consumer", {"checkbox": True}, headers=story["ops"]).status_code == 200


def test_a_photo_is_shown_only_to_who_sees_the_job(api, db, story):
    from tests.factories import make_client, make_technician, technician_headers

    walk_to_photos(api, story)
    photo_id = upload(api, story, "photo_before", jpeg()).json()[0]["id"]
    assert api.get(f"/v1/photos/{photo_id}", headers=story["tech_h"]).status_code == 200
    assert api.get(f"/v1/photos/{photo_id}", headers=story["ops"]).status_code == 200
    refused(api.get(f"/v1/photos/{photo_id}", headers=make_client(db).headers), 404)
    refused(api.get(f"/v1/photos/{photo_id}", headers=technician_headers(api, make_technician(db))), 404)


def test_a_consumer_token_works_only_its_own_orders_jobs(api, db, story):
    from tests.app.checklists.conftest import work
    from tests.factories import make_order

    _, (other,) = make_order(db, story["client"].id)
    work(db, other, story["tech"])
    before = snapshot(db, story)
    refused(api.post(f"/v1/track/{story['token']}/checklist/{other.id}/consumer_signature", json={}), 404)
    refused(api.post(f"/v1/track/not-a-token/checklist/{story['job'].id}/consumer_signature", json={}), 404)
    refused(api.post(f"/v1/track/{story['token']}/checklist/{story['job'].id}/contact_consumer",
                     json={"checkbox": True}), 403)
    # ... and the technician cannot sign for the consumer.
    refused(complete(api, story, "consumer_signature"), 409, type_="consumer-node")
    assert snapshot(db, story) == before


def test_system_nodes_are_never_completed_through_the_api(api, db, story):
    before = snapshot(db, story)
    refused(complete(api, story, "charges_settled", headers=story["ops"]), 409, type_="system-node")
    refused(upload(api, story, "charges_settled", jpeg()), 409, type_="system-node")
    assert snapshot(db, story) == before


def test_the_checklist_is_closed_outside_the_working_states(api, db, story):
    from tests.factories import make_order

    _, (pending,) = make_order(db, story["client"].id)
    r = api.post(f"/v1/jobs/{pending.id}/checklist/contact_consumer/complete", json={"checkbox": True},
                 headers=story["ops"])
    body = refused(r, 409, type_="job-not-active")
    assert body["current_status"] == "pending" and "pending" in body["detail"]


def test_bad_input_is_refused_naming_the_field(api, db, story):
    body = refused(complete(api, story, "contact_consumer", {"checkbox": True, "owner": "me"}), 422, "owner")
    assert body["field"] == "owner"
    refused(api.post(url(story, "contact_consumer"), content=b'{"reading": NaN}',
                     headers={**story["tech_h"], "content-type": "application/json"}), 422)
    refused(upload(api, story, "photo_before", jpeg(), kind="selfie"), 422, "kind")
    refused(api.post(url(story, "photo_before", "photos"), headers=story["tech_h"]), 422, "files")
    refused(complete(api, story, "no_such_node"), 404)
