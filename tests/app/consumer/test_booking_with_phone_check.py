"""A consumer proves the phone number with an SMS-style code before a booking goes in; the code travels
only through the SMS sender (the default one logs it)."""

import logging
import re

import pytest

from tests.app.consumer.stories import AT, WASHER_SKILLS
from tests.app.orders.stories import expect_problem, order_count, window
from tests.factories import make_technician


@pytest.fixture
def verifying(app):
    app.state.settings.consumer_phone_verification = True
    return app


def code_from_log(caplog) -> str:
    texts = [r.getMessage() for r in caplog.records if r.name == "shifu.sms"]
    return re.search(r"验证码 (\d{6})", texts[-1]).group(1)


def booking(proof=None, phone="13900002222") -> dict:
    return {
        "service_type": "repair", "name": "张先生", "phone": phone, "address": "杭州市拱墅区湖墅南路 88 号",
        "location": AT, "appliance": {"category": "washing_machine"}, "problem_description": "不脱水",
        "windows": [window(26, 2)], "phone_proof": proof,
    }


def test_a_booking_goes_in_only_with_a_proof_of_the_same_phone_used_once(api, db, verifying, caplog):
    caplog.set_level(logging.WARNING, "shifu.sms")
    make_technician(db, skills=WASHER_SKILLS)
    before = order_count(db)
    expect_problem(api.post("/v1/consumer/bookings", json=booking()), 422, "phone_proof")

    sent = api.post("/v1/consumer/phone-verifications", json={"phone": "139 0000 2222"})
    assert sent.status_code == 201, sent.text
    vid = sent.json()["id"]
    assert sent.json()["expires_at"].endswith("+08:00")
    code = code_from_log(caplog)
    wrong = "000000" if code != "000000" else "111111"
    body = expect_problem(api.post(f"/v1/consumer/phone-verifications/{vid}/check", json={"code": wrong}), 422, "code")
    assert body["tries_left"] == 4  # the wrong try was kept although the answer was an error
    proof = api.post(f"/v1/consumer/phone-verifications/{vid}/check", json={"code": code})
    assert proof.status_code == 200, proof.text
    proof = proof.json()["phone_proof"]

    expect_problem(api.post("/v1/consumer/bookings", json=booking(proof, phone="13900003333")), 422, "phone")
    assert api.post("/v1/consumer/bookings", json=booking(proof)).status_code == 201
    expect_problem(api.post("/v1/consumer/bookings", json=booking(proof)), 422, "phone_proof")
    assert order_count(db) == before + 1


def test_codes_are_not_sent_to_one_number_back_to_back(api, verifying):
    assert api.post("/v1/consumer/phone-verifications", json={"phone": "13900004444"}).status_code == 201
    r = api.post("/v1/consumer/phone-verifications", json={"phone": "13900004444"})
    expect_problem(r, 429, "phone")
    assert int(r.headers["Retry-After"]) > 0
    expect_problem(api.post("/v1/consumer/phone-verifications", json={"phone": "not a phone"}), 422, "phone")
