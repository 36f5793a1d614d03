"""The consumer rates a completed visit through its tracking link, once; the technician's quality score,
which dispatch reads, moves with it; ops, the brand and the technician read the rating."""

import uuid

from app.feedback.models import JobRating
from app.feedback.service import recompute_quality
from app.technicians.models import Technician
from tests.app.feedback.builders import rating, visit
from tests.factories import make_client, make_technician, ops_headers, technician_headers


def test_consumer_rates_a_completed_job_and_the_technicians_quality_score_changes(api, db):
    v = visit(db)
    assert db.get(Technician, v.tech.id).quality_score == 0.8
    unrated = recompute_quality(db, v.tech.id)  # the record without any rating
    db.commit()

    r = api.get(f"{v.track}/ratings")
    assert r.status_code == 200, r.text
    assert r.json() == [{
        "job_id": str(v.job.id), "service_type": "repair", "category": "air_conditioner", "status": "completed",
        "technician_name": "王师傅", "can_rate": True, "rating": None,
    }]

    r = api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating(1, tags=["late", "messy"], comment="迟到两小时"))
    assert r.status_code == 201, r.text
    assert r.json()["stars"] == 1 and r.json()["tags"] == ["late", "messy"]
    assert r.json()["created_at"].endswith("+08:00")

    db.expire_all()
    stored = db.get(Technician, v.tech.id).quality_score
    # Only the rating component moves: from its prior 0.875 to (10*4.5 + 1)/11 stars -> 0.7955, weighted
    # 0.45: a dent of 0.036, not the floor.
    assert abs(stored - (unrated - 0.45 * (0.875 - (46 / 11 - 1) / 4))) < 2e-4
    assert 0.7 < stored < unrated
    row = db.query(JobRating).filter_by(job_id=v.job.id).one()
    assert row.technician_id == v.tech.id and row.comment == "迟到两小时"
    listed = api.get(f"{v.track}/ratings").json()[0]
    assert listed["can_rate"] is False and listed["rating"]["stars"] == 1


def test_rating_twice_is_409_and_the_first_rating_stands(api, db):
    v = visit(db)
    assert api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating(5)).status_code == 201
    r = api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating(1))
    assert r.status_code == 409 and r.json()["type"].endswith("already-rated")
    assert [x.stars for x in db.query(JobRating).filter_by(job_id=v.job.id)] == [5]


def test_rating_before_completion_is_409_naming_the_status(api, db):
    v = visit(db, completed=False)
    r = api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating())
    assert r.status_code == 409
    assert r.json()["current_status"] == "in_progress" and "in_progress" in r.json()["detail"]
    assert db.query(JobRating).count() == 0


def test_another_orders_job_or_an_unknown_token_is_404(api, db):
    mine, theirs = visit(db), visit(db)
    r = api.post(f"{mine.track}/jobs/{theirs.job.id}/rating", json=rating())
    assert r.status_code == 404
    assert api.post(f"/v1/track/not-a-token/jobs/{mine.job.id}/rating", json=rating()).status_code == 404
    assert db.query(JobRating).count() == 0


def test_bad_ratings_are_422_naming_the_field(api, db):
    v = visit(db)
    url = f"{v.track}/jobs/{v.job.id}/rating"
    for body, field in [
        (rating(6), "stars"),
        (rating(0), "stars"),
        (rating(tags=["on_time", "fast_and_cheap"]), "tags[1]"),
        (rating(tags=["on_time", "late"]), "tags"),
        (rating(comment="好" * 501), "comment"),
        ({**rating(), "technician_id": str(v.tech.id)}, "technician_id"),
    ]:
        r = api.post(url, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["field"] == field, r.json()
    r = api.post(f"{v.track}/jobs/not-a-uuid/rating", json=rating())
    assert r.status_code == 422 and r.json()["field"] == "job_id"
    assert db.query(JobRating).count() == 0


def test_the_tag_list_is_bilingual_and_fixed(api):
    r = api.get("/v1/feedback/tags")
    assert r.status_code == 200
    tags = {t["code"]: t for t in r.json()}
    assert tags["on_time"]["zh"] == "准时" and tags["on_time"]["sentiment"] == "positive"
    assert tags["upsell"]["zh"] == "推销" and tags["upsell"]["sentiment"] == "negative"
    assert {"tidy", "explained", "polite", "no_hidden_fees", "late", "messy", "rude"} <= set(tags)


def test_ops_the_brand_and_the_technician_read_the_rating_others_get_404(api, db):
    client = make_client(db)
    v = visit(db, client=client)
    api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating(4, tags=["polite"]))
    url = f"/v1/jobs/{v.job.id}/rating"
    for headers in (ops_headers(api, db), client.headers, technician_headers(api, v.tech)):
        r = api.get(url, headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["stars"] == 4 and r.json()["technician_id"] == str(v.tech.id)
    other_tech = make_technician(db, name="赵师傅")
    assert api.get(url, headers=technician_headers(api, other_tech)).status_code == 404
    assert api.get(url, headers=make_client(db).headers).status_code == 404
    unrated = visit(db, client=client)
    r = api.get(f"/v1/jobs/{unrated.job.id}/rating", headers=client.headers)
    assert r.status_code == 404 and "rating" in r.json()["detail"]


def test_technician_ratings_and_quality_for_ops_and_the_technician_itself(api, db):
    tech = make_technician(db)
    visits = [visit(db, tech=tech) for _ in range(3)]
    for v, stars in zip(visits, (5, 4, 5)):
        assert api.post(f"{v.track}/jobs/{v.job.id}/rating", json=rating(stars)).status_code == 201
    ops, mine = ops_headers(api, db), technician_headers(api, tech)

    page = api.get(f"/v1/technicians/{tech.id}/ratings", params={"limit": 2}, headers=ops).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get(f"/v1/technicians/{tech.id}/ratings", params={"cursor": page["next_cursor"]}, headers=ops).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert sorted(x["stars"] for x in page["items"] + rest["items"]) == [4, 5, 5]
    assert len(api.get("/v1/technicians/me/ratings", headers=mine).json()["items"]) == 3

    q = api.get(f"/v1/technicians/{tech.id}/quality", headers=ops)
    assert q.status_code == 200, q.text
    q = q.json()
    assert q["ratings"] == 3 and q["average_stars"] == 4.67
    rating_part = next(c for c in q["components"] if c["name"] == "rating")
    assert rating_part["prior"] == {"mean": 4.5, "weight": 10} and rating_part["total"] == 3
    assert abs(rating_part["posterior"] - (45 + 14) / 13) < 1e-9
    assert {c["name"]: c["weight"] for c in q["components"]} == {
        "rating": 0.45, "rework": 0.2, "sla": 0.2, "complaints": 0.15,
    }
    assert q["score"] == q["stored_score"]
    assert api.get("/v1/technicians/me/quality", headers=mine).json()["score"] == q["score"]

    # A technician reads only its own record; another id is for ops.
    assert api.get(f"/v1/technicians/{tech.id}/quality", headers=mine).status_code == 403
    assert api.get(f"/v1/technicians/{uuid.uuid4()}/quality", headers=ops).status_code == 404


def test_ops_recomputes_every_active_technician(api, db):
    techs = [make_technician(db, name=f"师傅{i}") for i in range(2)]
    for t in techs:
        t.quality_score = 0.1
    db.commit()
    r = api.post("/v1/feedback/recompute", headers=ops_headers(api, db))
    assert r.status_code == 200 and r.json()["recomputed"] >= 2
    db.expire_all()
    assert all(db.get(Technician, t.id).quality_score > 0.8 for t in techs)
    assert api.post("/v1/feedback/recompute", headers=technician_headers(api, techs[0])).status_code == 403
