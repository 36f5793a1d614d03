"""Login that resists guessing: limits per username and per address, the same work for unknown users,
scrypt at OWASP's parameters with rehash on login, and logging out everywhere."""

import statistics
import time

import pytest
from sqlalchemy import select

from app.config import Settings, get_settings
from app.security import hash_password, needs_rehash, verify_password
from app.users.models import User
from tests.app.orders.stories import expect_problem
from tests.factories import bearer, make_ops_user


def _login(api, username, password):
    return api.post("/v1/auth/login", json={"username": username, "password": password})


@pytest.fixture
def limits(monkeypatch):
    s = get_settings()
    monkeypatch.setattr(s, "login_max_failures_per_username", 3)
    monkeypatch.setattr(s, "login_max_failures_per_address", 6)
    return s


def test_failures_for_one_username_are_limited_with_retry_after(api, db, limits):
    user, pw = make_ops_user(db)
    for _ in range(3):
        assert _login(api, user, "wrong").status_code == 401
    r = _login(api, user, "wrong")
    expect_problem(r, 429)
    assert 0 < int(r.headers["Retry-After"]) <= limits.login_window_minutes * 60
    # Even the right password waits: the limit is decided before any password is checked.
    assert _login(api, user, pw).status_code == 429


def test_failures_from_one_address_are_limited_across_usernames(api, db, limits):
    for i in range(6):
        assert _login(api, f"nobody-{i}", "wrong").status_code == 401
    r = _login(api, "nobody-else", "wrong")
    expect_problem(r, 429)
    assert "address" in r.json()["detail"] and int(r.headers["Retry-After"]) > 0


def test_a_successful_login_clears_the_username_failures(api, db, limits):
    user, pw = make_ops_user(db)
    for _ in range(2):
        assert _login(api, user, "wrong").status_code == 401
    assert _login(api, user, pw).status_code == 200
    for _ in range(2):
        assert _login(api, user, "wrong").status_code == 401
    assert _login(api, user, pw).status_code == 200


def test_the_limits_come_from_settings():
    defaults = Settings.model_fields
    assert defaults["login_max_failures_per_username"].default == 10
    assert defaults["login_max_failures_per_address"].default == 50
    assert defaults["login_window_minutes"].default == 15


def test_passwords_are_hashed_at_owasp_parameters_by_default(monkeypatch):
    assert Settings.model_fields["password_scrypt_n"].default == 2**17
    monkeypatch.setattr(get_settings(), "password_scrypt_n", 2**17)
    stored = hash_password("correct-horse-9")
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password("correct-horse-9", stored) and not verify_password("x", stored)
    assert not needs_rehash(stored)


def test_an_old_hash_is_replaced_at_the_next_login(api, db, monkeypatch):
    user, pw = make_ops_user(db)
    row = db.scalar(select(User).where(User.username == user))
    # What the previous code stored: scrypt$salt$digest at N=2^14.
    import hashlib

    salt = b"0123456789abcdef"
    row.password_hash = f"scrypt${salt.hex()}${hashlib.scrypt(pw.encode(), salt=salt, n=2**14, r=8, p=1).hex()}"
    db.commit()
    assert _login(api, user, pw).status_code == 200
    db.refresh(row)
    assert row.password_hash.startswith(f"scrypt${get_settings().password_scrypt_n}$8$1$")
    assert _login(api, user, pw).status_code == 200


def test_unknown_and_known_usernames_take_the_same_time(api, db, monkeypatch):
    s = get_settings()
    # A cost where the hash, not the test client, dominates; limits out of the way for 40 failures.
    monkeypatch.setattr(s, "password_scrypt_n", 2**14)
    monkeypatch.setattr(s, "login_max_failures_per_username", 1000)
    monkeypatch.setattr(s, "login_max_failures_per_address", 1000)
    user, _ = make_ops_user(db)
    known, unknown = [], []
    for i in range(20):
        for name, out in ((user, known), (f"ghost-{i}", unknown)):
            t0 = time.perf_counter()
            assert _login(api, name, "wrong-password").status_code == 401
            out.append(time.perf_counter() - t0)
    # Each pair runs back to back, under the same load from whatever else shares the machine.
    ratio = statistics.median(k / u for k, u in zip(known, unknown))
    assert 0.8 < ratio < 1.25, (ratio, statistics.median(known), statistics.median(unknown))


def test_log_out_everywhere_revokes_every_token_of_the_user(api, db):
    user, pw = make_ops_user(db)
    phone, laptop = bearer(api, user, pw), bearer(api, user, pw)
    other = bearer(api, *make_ops_user(db))
    assert api.post("/v1/auth/logout-everywhere", headers=phone).status_code == 204
    assert api.get("/v1/me", headers=phone).status_code == 401
    assert api.get("/v1/me", headers=laptop).status_code == 401
    assert api.get("/v1/me", headers=other).status_code == 200
    assert api.get("/v1/me", headers=bearer(api, user, pw)).status_code == 200
