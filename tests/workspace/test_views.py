"""Views from the config file and the app: reading `[[views]]`, saving and deleting, the last
view and the command history kept per profile across sessions, counts on the collection."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from skipup_campaigns import config
from skipup_campaigns.config_file import config_path
from skipup_campaigns.workspace.collection import CampaignCollection
from skipup_campaigns.workspace.views import (
    View,
    ViewError,
    Views,
    ViewStateFile,
    views_from_config,
)
from tests.workspace.test_collection import NOW, campaign

THREE = [
    {"name": "Sales", "filter": "team:sales"},
    {"name": "Ending soon", "filter": "ends:<7d", "sort": "end"},
    {
        "name": "Struggling",
        "filter": "rate:<20 requests:>=50",
        "sort": "requests",
        "order": "desc",
        "columns": ["name", "requests", "booked", "rate", "updated"],
    },
]


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, 0o600)
    return path


def test_the_config_files_views_are_read_per_profile() -> None:
    write_config("""
[[views]]
name = "Sales"
filter = "team:sales"

[[views]]
name = "Ending soon"
filter = "ends:<7d"
sort = "end"

[profiles.other]
api_key = "sk_test_admin"
[[profiles.other.views]]
name = "Mine"
filter = "marked"
active = false
""")
    top = config.load_settings(environ={})
    assert [v.name for v in top.views] == ["Sales", "Ending soon"]
    assert top.views[1].sort == "end" and not top.views[1].reverse
    other = config.load_settings(profile="other", environ={})
    assert [(v.name, v.filter, v.active_only) for v in other.views] == [("Mine", "marked", False)]


@pytest.mark.parametrize(
    "table, says",
    [
        ({"filter": "x"}, "needs a name"),
        ({"name": "A", "sort": "colour"}, "no column 'colour'"),
        ({"name": "A", "filter": "rate:<abc"}, "rate: takes a number"),
        ({"name": "A", "columns": ["name", "size"]}, "no column 'size'"),
        ({"name": "A", "order": "up"}, "order must be asc or desc"),
        ({"name": "A", "colour": "red"}, "unknown view setting 'colour'"),
        ({"name": "A", "active": "yes"}, "active must be true or false"),
    ],
)
def test_a_wrong_view_says_what_is_wrong(table: dict[str, object], says: str) -> None:
    with pytest.raises(ViewError, match=says):
        views_from_config([table], "config.toml")


def test_a_wrong_view_in_the_file_is_a_config_error() -> None:
    write_config('[[views]]\nname = "A"\nsort = "colour"\n')
    with pytest.raises(config.ConfigError, match="no column 'colour'"):
        config.load_settings(environ={})


def test_saved_deleted_and_last_views_survive_a_restart(tmp_path: Path) -> None:
    configured = views_from_config(THREE, "config.toml")
    state = ViewStateFile(tmp_path / "views" / "default.json")
    views = Views(CampaignCollection(), configured, state)
    assert views.starting_view() == configured[0]
    views.choose("ending SOON")
    views.save(View("Big ones", "requests:>=40", sort="requests"))
    views.delete("Sales")
    views.choose("Struggling")
    views.set_columns(["name", "updated", "booked"])
    views.remember_command("sort booked desc")
    again = Views(CampaignCollection(), configured, ViewStateFile(state.path))
    assert [v.name for v in again.views] == ["Ending soon", "Struggling", "Big ones"]
    assert again.starting_view().name == "Struggling"  # type: ignore[union-attr]
    assert again.get("Struggling").columns == ("name", "updated", "booked")  # type: ignore[union-attr]
    assert again.history == ["sort booked desc"]
    assert (state.path.stat().st_mode & 0o777) == 0o600


def test_a_broken_state_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        '{"saved": [{"name": 3}, {"name": "Ok", "sort": "nope"}, {"name": "Fine"}],'
        ' "last": 7, "history": ["ok", "bad\\u001b[2J"]}'
    )
    os.chmod(path, 0o600)
    views = Views(CampaignCollection(), (), ViewStateFile(path))
    assert [v.name for v in views.views] == ["Fine"] and views.history == ["ok"]


def test_counts_are_the_views_lengths() -> None:
    rng = random.Random(2)
    collection = CampaignCollection()
    collection.merge([campaign(n, rng) for n in range(300)], NOW)
    views = Views(
        collection,
        views_from_config(
            [
                {"name": "Sales", "filter": "team:sales"},
                {"name": "All", "active": False},
                {"name": "Busy", "filter": "requests:>=25", "active": False},
                {"name": "Marked", "filter": "marked"},
            ],
            "c",
        ),
    )
    marked = {row.id for row in collection.rows()[:7]}
    collection.marked = marked
    counts = views.counts(NOW)
    assert counts == [len(collection.view(v.spec(NOW))) for v in views.views]
    assert counts[1] == 300 and counts[3] == sum(r.active for r in collection.rows()[:7])


def test_unknown_view_names_those_there_are() -> None:
    views = Views(CampaignCollection(), views_from_config(THREE, "c"))
    with pytest.raises(ViewError, match="views: Sales, Ending soon, Struggling"):
        views.choose("nope")
