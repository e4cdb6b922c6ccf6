"""The list's `x` export to CSV, with names a spreadsheet would run as formulas: each such cell
starts with a quote, as `list --csv` writes it (JSON stays exact)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.bulk_screens import ExportScreen
from tests.hostile import FORMULA_NAMES, FORMULA_TEAM, add_formula_campaigns
from tests.tui.conftest import list_screen, settle


async def export(pilot: Any, name: str) -> None:
    await pilot.press("x")
    for _ in range(200):
        if isinstance(pilot.app.screen, ExportScreen):
            break
        await pilot.pause(0.02)
    await pilot.press(*name, "enter")
    await settle(pilot)


async def test_x_export_quotes_formula_cells_in_csv_only(
    make_app: Any, store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    ids = add_formula_campaigns(store)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"team:cmd", "enter")
        await settle(pilot)
        assert sorted(row.id for row in list_screen(pilot).table.rows) == sorted(ids)
        await export(pilot, "out.csv")
        await export(pilot, "out.json")
    rows = {
        row["id"]: row
        for row in csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8")))
    }
    shown = [name.replace("\t", " ").replace("\r", " ") for name in FORMULA_NAMES]
    assert [rows[i]["name"] for i in ids] == ["'" + name for name in shown]
    assert {rows[i]["team_name"] for i in ids} == {"'" + FORMULA_TEAM}
    exact = {c["id"]: c for c in json.loads((tmp_path / "out.json").read_text())}
    assert [exact[i]["name"] for i in ids] == FORMULA_NAMES
