"""Marks and bulk actions in a real pseudo-terminal, over a sandbox process on a loopback port,
each step's keys in ONE write (as SSH brings a fast typist's keys). The server's database is
checked afterwards: exactly the campaigns meant changed, nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from skipup_campaigns.sandbox import open_store
from tests.conftest import ADMIN, campaigns_on_server
from tests.e2e.terminal import Terminal
from tests.e2e.test_console_script import console_script, xdg  # noqa: F401 (fixture)
from tests.processes import start_sandbox

CTRL_S = "\x13"


def state(db: Path, *, active: bool | None = None) -> list[dict]:
    store = open_store(str(db))
    try:
        return campaigns_on_server(store, active=active)
    finally:
        store.close()


def changed(before: list[dict], after: list[dict]) -> set[str]:
    old = {c["id"]: c for c in before}
    return {c["id"] for c in after if c != old[c["id"]]}


@contextmanager
def app_over_sandbox(
    tmp_path: Path, env: dict[str, str], *extra: str
) -> Iterator[tuple[Terminal, Path]]:
    db = tmp_path / "sandbox.db"
    sandbox, url = start_sandbox(db, *extra)
    try:
        with Terminal(
            [console_script(), "--base-url", url, "--no-cache"],
            cols=100,
            rows=40,
            env={**env, "SKIPUP_API_KEY": ADMIN},
        ) as term:
            yield term, db
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


def quit_cleanly(term: Terminal) -> None:
    term.send("q")
    assert term.wait_exit() == 0
    assert b"Traceback" not in term.raw


def test_space_marks_three_and_d_deactivates_exactly_those(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    with app_over_sandbox(tmp_path, xdg) as (term, db):
        term.wait_for("of 40 campaigns")
        before = state(db)
        active = [c["id"] for c in state(db, active=True)]  # the list's order
        term.send("  j d\t\r")  # mark 1st, 2nd, (down), 4th; deactivate; Tab to it; confirm
        term.wait_for("3 done")
        term.wait_gone("marked")
        after = state(db)
        quit_cleanly(term)
    assert changed(before, after) == {active[0], active[1], active[3]}
    assert all(not c["active"] for c in after if c["id"] in changed(before, after))


def test_star_with_a_filter_then_deactivate_acts_on_the_hidden_marks_only(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    with app_over_sandbox(tmp_path, xdg) as (term, db):
        term.wait_for("of 40 campaigns")
        before = state(db)
        sales = {c["id"] for c in state(db, active=True) if c["team_name"] == "Sales"}
        term.send("/team:sales\r*")
        term.wait_for(f"{len(sales)} marked")
        term.send("/\x15team:partnerships\r")  # hides every marked one
        term.wait_for(f"{len(sales)} marked ({len(sales)} hidden)")
        term.send("d\t\r")
        term.wait_for(f"{len(sales)} done")
        after = state(db)
        quit_cleanly(term)
    assert changed(before, after) == sales


def test_bulk_end_date_over_a_filtered_selection(tmp_path: Path, xdg: dict[str, str]) -> None:  # noqa: F811
    with app_over_sandbox(tmp_path, xdg) as (term, db):
        term.wait_for("of 40 campaigns")
        before = state(db)
        partners = {c["id"] for c in state(db, active=True) if c["team_name"] == "Partnerships"}
        term.send("/team:partnerships\r*")
        term.wait_for(f"{len(partners)} marked")
        # e opens the bulk edit on the start's choice: Tab to its date, Tab to the end's
        # choice, Tab to the end's date; type it; ctrl+s to the preview.
        term.send(f"e\t\t\t2027-07-15{CTRL_S}")
        term.wait_for("→ 2027-07-15 23:59 UTC")
        term.send("\t\r")
        term.wait_for(f"{len(partners)} done")
        after = state(db)
        quit_cleanly(term)
    assert changed(before, after) == partners
    old = {c["id"]: c for c in before}
    for campaign in after:
        if campaign["id"] in partners:
            assert campaign["ends_at"] == "2027-07-15T23:59:59Z"
            assert {k: v for k, v in campaign.items() if k not in ("ends_at", "updated_at")} == {
                k: v for k, v in old[campaign["id"]].items() if k not in ("ends_at", "updated_at")
            }


def test_esc_mid_way_leaves_the_rest_untouched_and_marked(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    with app_over_sandbox(tmp_path, xdg, "--latency-ms", "300") as (term, db):
        term.wait_for("of 40 campaigns", timeout=40)
        before = state(db)
        active = {c["id"] for c in state(db, active=True)}
        term.send("*")
        term.wait_for(f"{len(active)} marked")
        term.send("d\t\r")
        term.wait_for("esc stops now")
        term.wait_for(f" of {len(active)} · ")  # the first ones are done
        time.sleep(1.0)
        term.escape(until_shown="Not started", timeout=30)  # the results dialog
        term.escape(until_gone="Not started")
        done = changed(before, state(db))
        term.wait_for(f"{len(active) - len(done)} marked")
        after = state(db)
        quit_cleanly(term)
    assert 0 < len(done) < len(active) - 4
    assert done <= active
    assert changed(before, after) == done  # nothing else was sent after the results


def test_hostile_names_stay_inert_in_the_bulk_screens(xdg: dict[str, str]) -> None:  # noqa: F811
    """The bulk form, its preview (names, teams before → after), the progress and the results
    over campaigns with hostile names and a hostile team: no sequence from the data reaches
    the terminal."""
    from tests.hostile import FORBIDDEN_BYTES, HOSTILE_NAMES, add_hostile_campaigns

    data = Path(xdg["XDG_DATA_HOME"]) / "skipup-campaigns"
    data.mkdir(parents=True)
    store = open_store(str(data / "demo.db"))
    add_hostile_campaigns(store)
    store.close()
    with Terminal([console_script(), "--demo"], cols=120, rows=40, env=xdg) as term:
        term.wait_for("[@click=app.quit]click")
        term.send("/hostile\r*")
        term.wait_for(f"{len(HOSTILE_NAMES)} marked")
        # Start's choice → its date → End's choice → its date → Team's choice → the picker:
        # two teams down (the first is their own); the preview.
        term.send(f"e\t\t\t\t\t\x1b[B\x1b[B{CTRL_S}")
        term.wait_for("Move to another team of")
        term.wait_for("Team: ")
        term.send("\t\r")
        term.wait_for(f"{len(HOSTILE_NAMES)} done")
        term.send("q")
        assert term.wait_exit() == 0
    raw = bytes(term.raw)
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in raw, forbidden
    assert b"Traceback" not in raw


def test_retry_runs_the_last_change_again_on_the_rows_it_left_undone(
    tmp_path: Path,
    xdg: dict[str, str],  # noqa: F811
) -> None:
    """A bulk end date over three marked campaigns, two of which a second writer changed
    since they were loaded: those two are left undone (✗, not overwritten); :retry runs the
    same change on just those, from what the run read of them, each step's keys in one
    write."""
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    with app_over_sandbox(tmp_path, xdg) as (term, db):
        term.wait_for("of 40 campaigns")
        active = [c["id"] for c in state(db, active=True)]  # the list's order
        term.send("   ")  # mark the first three
        term.wait_for("3 marked")
        store = open_store(str(db))
        try:  # a second writer, after the list was loaded
            for campaign_id in (active[0], active[2]):
                store.update_campaign(
                    MAIN_WORKSPACE, campaign_id, {"ends_at": "2027-03-01T00:00:00Z"}
                )
        finally:
            store.close()
        term.send(f"e\t\t\t2027-07-15{CTRL_S}")
        term.wait_for("→ 2027-07-15 23:59 UTC")
        term.send("\t\r")
        term.wait_for("changed on the server")  # two left undone...
        # ... and the results once the third is done (an esc before then stops the run)
        term.wait_for("Those not done stay marked")
        term.escape(until_gone="Those not done stay marked")
        term.wait_for("2 marked")
        ends = {c["id"]: c["ends_at"] for c in state(db)}
        assert ends[active[1]] == "2027-07-15T23:59:59Z"
        assert ends[active[0]] == ends[active[2]] == "2027-03-01T00:00:00Z"
        term.send(":retry\r")  # the same change, on the ✗ rows: preview, Tab, confirm
        term.wait_for("→ 2027-07-15 23:59 UTC")
        term.send("\t\r")
        term.wait_for("2 done")
        term.wait_gone("marked")
        ends = {c["id"]: c["ends_at"] for c in state(db)}
        quit_cleanly(term)
    assert all(ends[campaign_id] == "2027-07-15T23:59:59Z" for campaign_id in active[:3])
    assert sum(end == "2027-07-15T23:59:59Z" for end in ends.values()) == 3
