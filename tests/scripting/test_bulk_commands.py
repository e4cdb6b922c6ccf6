"""`deactivate` and `update` on several campaigns, `show` by slug or name, and `status`: as a
script runs them, against the sandbox over loopback, with the server's state checked after."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from typing import Any

import pytest

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.display.dates import campaign_status
from skipup_campaigns.sandbox import SandboxSettings, Store, create_app
from skipup_campaigns.sandbox.app import default_keys, parse_key_spec
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.scripting import exit_codes
from tests.conftest import campaigns_on_server
from tests.scripting.conftest import Run


def on_server(store: Store, campaign_id: str) -> dict[str, Any]:
    return store.get_campaign(MAIN_WORKSPACE, campaign_id)


def active_ids(store: Store, count: int) -> list[str]:
    return [c["id"] for c in campaigns_on_server(store, active=True)[:count]]


def status_now(row: dict[str, Any]) -> str:
    campaign = Campaign.model_validate(row)
    return campaign_status(
        deactivated_at=campaign.deactivated_at,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        now=datetime.now(timezone.utc),
    )


# -- several ids -----------------------------------------------------------------------------


def test_deactivate_several_ids_changes_exactly_those(
    run: Run, store: Store, writes: Counter[str]
) -> None:
    before = campaigns_on_server(store)
    chosen = active_ids(store, 3)
    result = run("deactivate", *chosen, "--yes")
    assert result.code == exit_codes.OK, result.err
    lines = result.err.splitlines()
    assert sorted(line.split()[1] for line in lines if line.startswith("done")) == sorted(chosen)
    assert lines[-1] == "3 done"
    assert writes == Counter({campaign_id: 1 for campaign_id in chosen})
    for row in before:
        now = on_server(store, row["id"])
        assert (now["deactivated_at"] is not None) == (
            row["id"] in chosen or row["deactivated_at"] is not None
        )
        if row["id"] not in chosen:
            assert now == row
    again = run("deactivate", *chosen, "--yes")  # already done: not a failure
    assert again.code == exit_codes.OK and again.err.splitlines()[-1] == "3 skipped"
    assert "already deactivated" in again.err and sum(writes.values()) == 3


@pytest.mark.parametrize("form", ["lines", "list --json"])
def test_ids_from_stdin_in_either_form(run: Run, store: Store, form: str) -> None:
    chosen = active_ids(store, 4)[1:]
    if form == "lines":
        stdin = "\n".join(chosen) + "\n\n"
    else:
        listed = json.loads(run("list", "--json").out)  # what jq would filter
        stdin = json.dumps([row for row in listed if row["id"] in chosen])
    result = run("deactivate", "-", "--yes", stdin=stdin)
    assert result.code == exit_codes.OK, result.err
    gone = {c["id"] for c in campaigns_on_server(store, active=False)}
    assert set(chosen) <= gone and active_ids(store, 1)[0] not in gone


def test_a_pipe_still_needs_yes_for_several(run: Run, store: Store, writes: Counter[str]) -> None:
    chosen = active_ids(store, 2)
    for argv, stdin in (((*chosen,), ""), (("-",), "\n".join(chosen))):
        result = run("deactivate", *argv, stdin=stdin)
        assert result.code == exit_codes.USAGE and "--yes" in result.err
        result = run("update", *argv, "--ends", "2027-01-31", stdin=stdin)
        assert result.code == exit_codes.USAGE and "--yes" in result.err
    assert not writes


def test_dry_run_prints_before_and_after_and_sends_nothing(
    run: Run, store: Store, writes: Counter[str]
) -> None:
    before = campaigns_on_server(store)
    chosen = active_ids(store, 3)
    result = run("update", *chosen, "--ends", "2027-01-31", "--team", "Partnerships", "--dry-run")
    assert result.code == exit_codes.OK, result.err
    for campaign_id in chosen:
        row = on_server(store, campaign_id)
        block = result.out.split(campaign_id, 1)[1].split("\ncmp_", 1)[0]
        assert f"ends_at: {row['ends_at'][:10] if row['ends_at'] else '–'}" in block
        assert "→ 2027-01-31 23:59 UTC" in block
        if row["team_name"] != "Partnerships":
            assert f"team_id: {row['team_name']} → Partnerships" in block
    assert "nothing was sent" in result.err
    as_text = run("deactivate", *chosen, "--dry-run").out
    assert as_text.count(" → deactivated\n") == as_text.count("  status: ") == len(chosen)
    assert "  active:" not in as_text
    as_json = json.loads(run("deactivate", *chosen, "--dry-run", "--json").out)
    assert [item["id"] for item in as_json] == chosen
    assert as_json[0]["changes"] == [{"field": "active", "before": True, "after": False}]
    assert not writes and campaigns_on_server(store) == before


def test_update_several_with_team_and_cleared_description(run: Run, store: Store) -> None:
    chosen = active_ids(store, 3)
    result = run(
        "update", *chosen, "--team", "Customer Success", "--clear-description", "--yes", "--json"
    )
    assert result.code == exit_codes.OK, result.err
    rows = json.loads(result.out)
    assert [row["outcome"] for row in rows] == ["done"] * 3
    for campaign_id in chosen:
        now = on_server(store, campaign_id)
        assert (now["team_name"], now["description"]) == ("Customer Success", None)
    refused = run("update", *chosen, "--name", "Same for all", "--yes")
    assert refused.code == exit_codes.USAGE and "one campaign" in refused.err


def test_some_failed_has_its_own_exit_code_and_names_the_ids(run: Run, store: Store) -> None:
    chosen = active_ids(store, 2)
    result = run("update", chosen[0], "cmp_missing", chosen[1], "--ends", "2027-01-31", "--yes")
    assert result.code == exit_codes.PARTIAL == 11
    assert "failed   cmp_missing" in result.err
    assert "not done (1): cmp_missing" in result.err
    result = run(
        "update", chosen[0], "cmp_missing", chosen[1], "--ends", "2027-01-31", "--yes", "--json"
    )
    assert result.code == exit_codes.PARTIAL
    rows = {row["id"]: row for row in json.loads(result.out)}
    assert rows["cmp_missing"]["outcome"] == "failed"
    assert rows["cmp_missing"]["exit_code"] == exit_codes.NOT_FOUND
    assert all(on_server(store, i)["ends_at"] == "2027-01-31T23:59:59Z" for i in chosen)


@pytest.mark.parametrize("settings", [SandboxSettings(rate_limit=0, fail_rate=0.3, random_seed=3)])
def test_under_faults_each_is_changed_once_or_named_as_not_done(
    run: Run, store: Store, writes: Counter[str], recorded_waits: list[float]
) -> None:
    chosen = active_ids(store, 12)
    result = run("update", *chosen, "--description", "moved", "--yes")
    assert result.code in (exit_codes.OK, exit_codes.PARTIAL), result.err
    not_done = set()
    for line in result.err.splitlines():
        if line.startswith("not done"):
            not_done = set(line.split(": ", 1)[1].split())
    assert (result.code == exit_codes.PARTIAL) == bool(not_done)
    assert all(count == 1 for count in writes.values())
    for campaign_id in chosen:
        changed = on_server(store, campaign_id)["description"] == "moved"
        assert changed == (campaign_id not in not_done) == (writes[campaign_id] == 1)


# -- show, status, teams ---------------------------------------------------------------------


def test_show_takes_a_slug_or_an_exact_name(run: Run, store: Store) -> None:
    target = campaigns_on_server(store)[2]
    for wanted in (target["slug"], target["name"]):
        result = run("show", wanted, "--json")
        assert result.code == exit_codes.OK, result.err
        assert json.loads(result.out)["id"] == target["id"]
    missing = run("show", "no such campaign")
    assert missing.code == exit_codes.NOT_FOUND


def test_show_of_an_ambiguous_name_lists_the_matches(run: Run, store: Store) -> None:
    team_id = campaigns_on_server(store)[0]["team_id"]
    twins = [
        store.create_campaign(MAIN_WORKSPACE, {"name": "Twin", "team_id": team_id})
        for _ in range(2)
    ]
    result = run("show", "Twin")
    assert result.code == exit_codes.USAGE
    assert all(twin["id"] in result.err for twin in twins)


def test_status_is_in_every_format_and_filters_the_list(run: Run, store: Store) -> None:
    expected = {row["id"]: status_now(row) for row in campaigns_on_server(store)}
    listed = json.loads(run("list", "--json").out)
    assert {row["id"]: row["status"] for row in listed} == expected
    csv_header = run("list", "--csv", "--fields", "id,status").out.splitlines()
    assert csv_header[0] == "id,status"
    ended = run("list", "--status", "ended", "--json", "--fields", "id").out
    assert [row["id"] for row in json.loads(ended)] == [
        i for i, status in expected.items() if status == "ended"
    ]
    with pytest.raises(SystemExit) as refused:
        run("list", "--status", "gone")
    assert refused.value.code == exit_codes.USAGE


@pytest.mark.parametrize(
    "settings",
    [
        SandboxSettings(
            rate_limit=0,
            keys={
                **default_keys(),
                "sk_test_noteams": parse_key_spec("sk_test_noteams=campaigns.read,campaigns.write"),
            },
        )
    ],
)
def test_team_names_come_from_campaigns_when_teams_cannot_be_listed(
    run: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", "sk_test_noteams")
    rows = campaigns_on_server(store, active=True)
    target = next(r for r in rows if r["team_name"] != "Partnerships")
    partnerships = next(r["team_id"] for r in rows if r["team_name"] == "Partnerships")
    result = run("update", target["id"], "--team", "partnerships")
    assert result.code == exit_codes.OK, result.err
    assert result.err.count("\n") == 1 and "teams from your campaigns" in result.err
    assert on_server(store, target["id"])["team_id"] == partnerships
    unknown = run("update", target["id"], "--team", "Nobody")
    assert unknown.code == exit_codes.USAGE and "Partnerships" in unknown.err


def test_every_exit_code_is_in_the_readme_and_the_help() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for code in exit_codes.KINDS:
        if code not in (exit_codes.FAILED, exit_codes.INTERRUPTED):
            assert f"\n| {code} |" in readme, code
            assert f" {code} " in exit_codes.EPILOG, code


def test_on_a_terminal_several_are_shown_then_asked_about(
    run: Run, store: Store, writes: Counter[str]
) -> None:
    import io

    from skipup_campaigns.cli import build_parser
    from skipup_campaigns.scripting import session
    from tests.scripting.conftest import TerminalStream

    chosen = active_ids(store, 2)
    for answer, code in (("n\n", exit_codes.USAGE), ("y\n", exit_codes.OK)):
        args = build_parser().parse_args(["deactivate", *chosen])
        err = io.StringIO()
        result = session.run(
            args.run, args, stdin=TerminalStream(answer), stdout=io.StringIO(), stderr=err
        )
        assert result == code, err.getvalue()
        assert "Deactivate these 2 campaigns? SkipUp has no way back. [y/N]" in err.getvalue()
        assert all(campaign_id in err.getvalue() for campaign_id in chosen)
        deactivated = [on_server(store, i)["deactivated_at"] is not None for i in chosen]
        assert deactivated == [code == exit_codes.OK] * 2
    assert sum(writes.values()) == 2


class ChangedAfterFirstLook:
    """ASGI wrapper: once the command has read `campaign_id`, another client changes its
    description (in the same second: updated_at cannot tell)."""

    def __init__(self, app: Any, store: Store, campaign_id: str) -> None:
        self.app, self.store, self.campaign_id = app, store, campaign_id
        self.looks = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].endswith(f"/campaigns/{self.campaign_id}")
        ):
            self.looks += 1
            if self.looks == 1:
                self.store.update_campaign(
                    MAIN_WORKSPACE, self.campaign_id, {"description": "theirs meanwhile"}
                )


def test_a_campaign_changed_after_it_was_read_is_skipped_and_named(
    store: Store, settings: SandboxSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skipup_campaigns.sandbox.server import serve_in_thread
    from tests.conftest import ADMIN
    from tests.scripting.conftest import run_command

    chosen = active_ids(store, 3)
    app = ChangedAfterFirstLook(create_app(store, settings), store, chosen[1])
    with serve_in_thread(app) as url:
        monkeypatch.setenv("SKIPUP_API_KEY", ADMIN)
        monkeypatch.setenv("SKIPUP_BASE_URL", url)
        result = run_command("update", *chosen, "--description", "ours", "--yes")
    assert result.code == exit_codes.PARTIAL, result.err
    assert f"skipped  {chosen[1]}" in result.err and "changed on the server" in result.err
    assert f"not done (1): {chosen[1]}" in result.err
    theirs = on_server(store, chosen[1])
    assert theirs["description"] == "theirs meanwhile"
    assert [on_server(store, i)["description"] for i in (chosen[0], chosen[2])] == ["ours"] * 2


def test_results_come_in_the_order_the_ids_were_given(run: Run, store: Store) -> None:
    """Ids that cannot be read are known before the run, the rest as it ends: the array (and
    the ids to run again) still follow the input, so a script can pair them by position."""
    first, second = active_ids(store, 2)
    given = [first, "cmp_missing", second, "cmp_nope"]
    result = run("deactivate", *given, "--yes", "--json")
    assert result.code == exit_codes.PARTIAL, result.err
    assert [row["id"] for row in json.loads(result.out)] == given
    text = run("update", "cmp_gone", *given, "--ends", "2027-01-31", "--yes")
    assert "not done (3): cmp_gone cmp_missing cmp_nope" in text.err
