"""Where a new live subscriber starts: after the last readable event, whatever the table's size."""

from app.events.feed import START, newest, position, read
from app.events.models import Event


def test_newest_is_the_last_readable_position_and_start_when_empty(db):
    everything = read(db, START, limit=10**6)
    before = newest(db)
    assert before == (position(everything[-1]) if everything else START)
    ev = Event(type="webhook.test", version=1, actor_type="system", data={"message": "x"})
    db.add(ev)
    db.flush()
    db.refresh(ev)
    assert newest(db) == position(ev) and newest(db) > before
