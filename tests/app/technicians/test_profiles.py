"""Ops staff build up the technician roster: provider companies, profiles, areas, skills, shifts."""

from tests.app.technicians.builders import technician_body
from tests.factories import HANGZHOU, bearer, make_client, ops_headers, square


def test_dispatcher_registers_a_provider_company_and_finds_it_again(api, db):
    ops = ops_headers(api, db)
    r = api.post("/v1/providers", json={"name": "西湖家电服务网点", "phone": "0571-8888 0000"}, headers=ops)
    assert r.status_code == 201, r.text
    provider = r.json()
    assert provider["payout_share_bp"] == 7000
    assert api.get(f"/v1/providers/{provider['id']}", headers=ops).json()["name"] == "西湖家电服务网点"
    assert [p["id"] for p in api.get("/v1/providers", headers=ops).json()] == [provider["id"]]
    again = api.post("/v1/providers", json={"name": "西湖家电服务网点"}, headers=ops)
    assert again.status_code == 409 and again.json()["field"] == "name"


def test_dispatcher_creates_a_technician_and_reads_back_the_whole_profile(api, db):
    ops = ops_headers(api, db)
    provider = api.post("/v1/providers", json={"name": "滨江服务商"}, headers=ops).json()
    body = technician_body(provider_id=provider["id"], days_off=["2031-03-08", {"day": "2031-03-09", "reason": "家事"}],
                           password="wang-shifu-2031")
    r = api.post("/v1/technicians", json=body, headers=ops)
    assert r.status_code == 201, r.text
    tech = r.json()
    assert tech["provider_id"] == provider["id"]
    assert tech["home_base"] == {"lon": HANGZHOU[0], "lat": HANGZHOU[1]}
    assert tech["service_area"]["type"] == "MultiPolygon"
    ring = tech["service_area"]["coordinates"][0][0]
    assert [list(p) for p in ring] == square(*HANGZHOU, 0.05)["coordinates"][0]
    assert tech["shifts"][0] == {"weekday": 0, "start": "08:00", "end": "18:00"} and len(tech["shifts"]) == 6
    assert tech["days_off"] == [{"day": "2031-03-08", "reason": None}, {"day": "2031-03-09", "reason": "家事"}]
    skills = {s["skill"]: s for s in tech["skills"]}
    assert skills["ac_install"] == {"skill": "ac_install", "certificate": None, "valid_now": True}
    assert skills["refrigerant"]["certificate"]["number"] == "T330100-0001"
    assert skills["refrigerant"]["certificate"]["status"] == "valid"
    assert tech["has_login"] is True and tech["active"] is True and tech["on_duty"] is False
    assert api.get(f"/v1/technicians/{tech['id']}", headers=ops).json() == tech
    # The login is the phone number.
    assert bearer(api, body["phone"], "wang-shifu-2031")


def test_skills_show_whether_each_certificate_counts_today(api, db):
    ops = ops_headers(api, db)
    body = technician_body(skills=[
        {"skill": "electrician", "certificate": {"name": "低压电工作业证", "number": "E-1", "valid_until": "2020-06-30"}},
        {"skill": "gas_appliance", "certificate": {"name": "燃气具安装维修证", "number": "G-1", "valid_from": "2099-01-01"}},
        {"skill": "work_at_height", "certificate": {"name": "高处作业证", "number": "H-1"}},
    ])
    skills = {s["skill"]: s for s in api.post("/v1/technicians", json=body, headers=ops).json()["skills"]}
    assert skills["electrician"]["certificate"]["status"] == "expired" and skills["electrician"]["valid_now"] is False
    assert skills["gas_appliance"]["certificate"]["status"] == "not_yet_valid"
    assert skills["gas_appliance"]["valid_now"] is False
    assert skills["work_at_height"]["certificate"]["status"] == "valid" and skills["work_at_height"]["valid_now"]


def test_list_filters_by_provider_skill_active_and_duty_and_pages_with_a_cursor(api, db):
    ops = ops_headers(api, db)
    p1 = api.post("/v1/providers", json={"name": "上城网点"}, headers=ops).json()["id"]
    p2 = api.post("/v1/providers", json={"name": "萧山网点"}, headers=ops).json()["id"]
    ids = {}
    for i, (provider, skills) in enumerate([(p1, ["ac_install"]), (p1, ["tv_install"]), (p2, ["ac_install", "delivery"])]):
        body = technician_body(phone=f"1390000{i:04d}", provider_id=provider, skills=[{"skill": s} for s in skills])
        ids[i] = api.post("/v1/technicians", json=body, headers=ops).json()["id"]
    api.post(f"/v1/technicians/{ids[1]}/deactivate", headers=ops)

    def listed(**params):
        r = api.get("/v1/technicians", params=params, headers=ops)
        assert r.status_code == 200, r.text
        return {t["id"] for t in r.json()["items"]}

    assert listed(provider_id=p1) == {ids[0], ids[1]}
    assert listed(skill="ac_install") == {ids[0], ids[2]}
    assert listed(active="false") == {ids[1]}
    assert listed(provider_id=p1, active="true") == {ids[0]}
    assert listed(on_duty="true") == set()

    seen, cursor = [], None
    while True:
        page = api.get("/v1/technicians", params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=ops).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids.values()) and len(seen) == 3
    bad = api.get("/v1/technicians", params={"cursor": "not-a-cursor"}, headers=ops)
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


def test_patch_changes_only_what_is_sent_and_replaces_lists_whole(api, db):
    ops = ops_headers(api, db)
    tech = api.post("/v1/technicians", json=technician_body(password="wang-shifu-2031"), headers=ops).json()
    r = api.patch(f"/v1/technicians/{tech['id']}", headers=ops, json={
        "phone": "13700007777",
        "service_area": square(120.2, 30.3, 0.02),
        "skills": [{"skill": "ac_install"}, {"skill": "ac_repair"}],
        "shifts": [{"weekday": 6, "start": "09:30", "end": "12:00"}, {"weekday": 6, "start": "13:00", "end": "24:00"}],
        "days_off": ["2031-05-01"],
    })
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["name"] == "王师傅" and after["home_base"] == tech["home_base"]
    assert [s["skill"] for s in after["skills"]] == ["ac_install", "ac_repair"]
    assert after["shifts"] == [{"weekday": 6, "start": "09:30", "end": "12:00"},
                               {"weekday": 6, "start": "13:00", "end": "24:00"}]
    assert after["days_off"] == [{"day": "2031-05-01", "reason": None}]
    assert after["service_area"]["coordinates"][0][0][0] == [120.18, 30.28]
    # The login follows the phone number.
    assert bearer(api, "13700007777", "wang-shifu-2031")
    assert api.get(f"/v1/technicians/{tech['id']}", headers=ops).json() == after


def test_deactivated_technician_can_no_longer_log_in_or_use_a_token(api, db):
    ops = ops_headers(api, db)
    body = technician_body(password="wang-shifu-2031")
    tech = api.post("/v1/technicians", json=body, headers=ops).json()
    me = bearer(api, body["phone"], "wang-shifu-2031")
    api.post("/v1/technicians/me/duty", json={"on_duty": True}, headers=me)
    r = api.post(f"/v1/technicians/{tech['id']}/deactivate", headers=ops)
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["on_duty"] is False
    assert api.get("/v1/technicians/me", headers=me).status_code == 401
    assert api.post("/v1/auth/login", json={"username": body["phone"], "password": "wang-shifu-2031"}).status_code == 401
    back = api.patch(f"/v1/technicians/{tech['id']}", json={"active": True}, headers=ops)
    assert back.json()["active"] is True
    assert bearer(api, body["phone"], "wang-shifu-2031")


def test_ops_get_404_for_an_unknown_technician_and_provider(api, db):
    ops = ops_headers(api, db)
    missing = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"/v1/technicians/{missing}", headers=ops).status_code == 404
    assert api.patch(f"/v1/technicians/{missing}", json={"name": "x"}, headers=ops).status_code == 404
    assert api.get(f"/v1/providers/{missing}", headers=ops).status_code == 404


def test_client_api_key_is_refused_on_every_ops_endpoint(api, db):
    ops = ops_headers(api, db)
    tech = api.post("/v1/technicians", json=technician_body(), headers=ops).json()
    key = make_client(db).headers
    calls = [
        ("post", "/v1/providers", {"name": "x"}),
        ("get", "/v1/providers", None),
        ("post", "/v1/technicians", technician_body(phone="13900009999")),
        ("get", "/v1/technicians", None),
        ("get", f"/v1/technicians/{tech['id']}", None),
        ("patch", f"/v1/technicians/{tech['id']}", {"name": "x"}),
        ("post", f"/v1/technicians/{tech['id']}/deactivate", None),
        ("get", "/v1/technicians/me", None),
    ]
    for method, url, body in calls:
        r = api.request(method, url, json=body, headers=key)
        assert r.status_code == 403, (method, url, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/v1/technicians/{tech['id']}", headers=ops).json()["name"] == "王师傅"
