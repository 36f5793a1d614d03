"""A reader of the stream never skips an event, even when transactions commit out of the order in which
their events were numbered (PostgreSQL: many writers at once), and sees each client only its own."""

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import make_engine
from app.events.feed import START, position, read
from app.events.models import Event
from tests.conftest import PG_ADMIN_URL


def _event(session: Session, type_: str = "webhook.test") -> Event:
    ev = Event(type=type_, version=1, actor_type="system", data={"message": type_})
    session.add(ev)
    session.flush()
    return ev


def _head(engine):
    with Session(engine) as s:
        rows = read(s, START, limit=100000)
        return position(rows[-1]) if rows else START


def test_an_event_numbered_first_but_committed_last_is_not_skipped(backend, live_app):
    if backend.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: events commit in the order they are numbered")
    engine = backend.engine
    cursor = _head(engine)
    slow = Session(engine)
    slow.execute(text("SELECT pg_current_xact_id()"))  # the slow transaction starts (and gets its id) first
    with Session(engine) as fast:
        fast_ev = _event(fast, "fast")
        fast.commit()
        fast_seq = fast_ev.seq
    slow_ev = _event(slow, "slow")  # numbered after the fast one, not yet committed
    assert slow_ev.seq > fast_seq
    with Session(engine) as reader:
        assert read(reader, cursor) == []  # the fast one waits: an older transaction is still open
    slow.commit()
    slow.close()
    with Session(engine) as reader:
        assert [e.data["message"] for e in read(reader, cursor)] == ["slow", "fast"]


def test_a_rolled_back_event_never_appears_and_holds_nothing_back(backend, live_app):
    engine = backend.engine
    cursor = _head(engine)
    with Session(engine) as s:
        _event(s, "lost")
        s.rollback()
    with Session(engine) as s:
        _event(s, "kept")
        s.commit()
    with Session(engine) as reader:
        assert [e.data["message"] for e in read(reader, cursor)] == ["kept"]


def test_a_transaction_left_open_in_another_database_holds_nothing_back(backend, live_app):
    if backend.name != "postgresql":
        pytest.skip("only PostgreSQL shares transaction ids between databases")
    other = make_engine(PG_ADMIN_URL).connect()
    other.begin()
    other.execute(text("SELECT pg_current_xact_id()"))  # another database's writer, open throughout
    try:
        cursor = _head(backend.engine)
        with Session(backend.engine) as s:
            _event(s, "here")
            s.commit()
        with Session(backend.engine) as reader:
            assert [e.data["message"] for e in read(reader, cursor)] == ["here"]
    finally:
        other.rollback()
        other.close()
