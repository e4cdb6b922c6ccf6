"""A killed sandbox process loses nothing it had answered as saved."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import httpx

from tests.conftest import ADMIN
from tests.processes import start_sandbox


def test_sigkill_mid_write_loses_no_acknowledged_campaign(tmp_path: Path) -> None:
    db = tmp_path / "durable.db"
    process, url = start_sandbox(db)
    acknowledged: list[str] = []
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN}"}) as http:
            team = http.get(f"{url}/teams").json()["data"][-1]["id"]
            for n in range(20):
                response = http.post(
                    f"{url}/campaigns", json={"name": f"Saved {n}", "team_id": team}
                )
                assert response.status_code == 201
                acknowledged.append(response.json()["data"]["id"])
            edited = http.patch(
                f"{url}/campaigns/{acknowledged[0]}", json={"description": "edited before the kill"}
            )
            assert edited.status_code == 200

            def keep_writing() -> None:
                for n in range(500):
                    try:
                        response = http.post(
                            f"{url}/campaigns", json={"name": f"Racing {n}", "team_id": team}
                        )
                    except httpx.HTTPError:
                        return
                    if response.status_code == 201:
                        acknowledged.append(response.json()["data"]["id"])

            writer = threading.Thread(target=keep_writing)
            writer.start()
            while len(acknowledged) < 40 and writer.is_alive():
                threading.Event().wait(0.005)
            os.kill(process.pid, signal.SIGKILL)
            writer.join(timeout=30)
    finally:
        process.kill()
        process.wait(timeout=10)

    restarted, url = start_sandbox(db)
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {ADMIN}"}) as http:
            ids, cursor = set(), None
            while True:
                params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
                body = http.get(f"{url}/campaigns", params=params).json()
                ids |= {c["id"] for c in body["data"]}
                cursor = body["meta"]["next_cursor"]
                if not cursor:
                    break
            first = http.get(f"{url}/campaigns/{acknowledged[0]}").json()["data"]
    finally:
        restarted.send_signal(signal.SIGINT)
        restarted.wait(timeout=10)
    assert len(acknowledged) >= 40
    assert set(acknowledged) <= ids
    assert first["description"] == "edited before the kill"
