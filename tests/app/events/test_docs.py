"""The README's table of event types is the catalogue's own, so the documented contract cannot drift."""

import pathlib

from app.events.catalog import markdown_table


def test_the_readme_lists_every_event_type_as_the_catalogue_defines_it():
    readme = (pathlib.Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert markdown_table() in readme, "regenerate the table with: python -m app.events.catalog"
