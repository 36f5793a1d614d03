"""A tracking link hears its own order's progress on the live stream, told briefly (no actor, no reason,
no other technician), and nothing of offers or of any other order."""

from tests.app.events.test_stream import Subscriber, city, new_order  # noqa: F401  (city is a fixture)


def test_a_tracking_token_hears_its_order_progress_and_nothing_else(city):  # noqa: F811
    http = city["http"]
    mine, other = new_order(city), new_order(city)
    sub = Subscriber(city["server"], {}, params={"access_token": mine["tracking_token"]})
    try:
        for order in (other, mine):
            job_id = order["jobs"][0]["id"]
            r = http.post(f"/v1/jobs/{job_id}/offers", json={"technician_ids": [str(city["a"].id)]}, headers=city["ops"])
            assert r.status_code == 201, r.text
            assert http.post(f"/v1/jobs/{job_id}/accept", headers=city["ha"]).status_code == 200
        (_, heard), = sub.take(1)
        assert heard["type"] == "job.accepted" and heard["status"] == "accepted"
        assert set(heard) == {"type", "cursor", "occurred_at", "status"}  # no actor, subject or reasons
        assert sub.nothing_more(0.8)  # neither the offers nor the other order's acceptance
    finally:
        sub.close()


def test_a_wrong_tracking_token_opens_no_stream(city):  # noqa: F811
    r = city["http"].get("/v1/events/stream", params={"access_token": "trk_not-a-real-one"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
