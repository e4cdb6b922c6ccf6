"""The one setup: flags and the config file made into a workspace with its parts (client maker,
list cache, write memory, history link, views), its label, its remembered state's name and
the problem to show, the same for the UI, a command and the demo. No request is made here:
the parts are checked as made."""

from __future__ import annotations

import pytest

from skipup_campaigns.startup.list_cache import ListCache
from skipup_campaigns.startup.setup import Options, ProfileRefused, open_profile
from skipup_campaigns.workspace.history_link import HistoryLink
from tests.test_config import write_config

TWO_PROFILES = """
default_profile = "first"

[profiles.first]
base_url = "http://127.0.0.1:9/api/v1"
api_key = "sk_test_first"
[[profiles.first.views]]
name = "Sales"
filter = "team:sales"

[profiles.second]
base_url = "http://127.0.0.1:10/api/v1"
api_key = "sk_test_second"
read_only = true
history = false

[profiles.keyless]
base_url = "http://127.0.0.1:11/api/v1"
"""

UI = Options(ui=True)


def test_each_profile_has_its_own_parts() -> None:
    write_config(TWO_PROFILES)
    first = open_profile(UI, early_page=False)
    second = open_profile(UI, "second", early_page=False)
    assert (first.label, first.state_name, first.profile) == ("first", "first", "first")
    assert (second.label, second.state_name, second.profile) == ("second", "second", "second")
    assert first.profiles == ("first", "keyless", "second")
    assert first.problem is None and second.problem is None
    caches = [setup.workspace.list_cache for setup in (first, second)]
    assert all(isinstance(cache, ListCache) for cache in caches)
    assert caches[0].path != caches[1].path  # type: ignore[union-attr]
    assert isinstance(first.workspace.history, HistoryLink)
    assert second.workspace.history is None and second.history is None  # history = false
    assert not second.workspace.writable and first.workspace.writable  # read_only = true
    assert [view.name for view in first.workspace.views.views] == ["Sales"]
    assert second.workspace.views.views == []
    assert first.options is not None and first.options.profile is None
    assert second.options is not None and second.options.profile == "second"


def test_a_profile_that_cannot_be_used_says_why() -> None:
    write_config(TWO_PROFILES)
    unknown = open_profile(UI, "nope", early_page=False)
    assert unknown.problem is not None and "No profile named 'nope'" in unknown.problem
    assert "first, keyless, second" in unknown.problem
    assert not unknown.workspace.can_connect
    keyless = open_profile(UI, "keyless", early_page=False)
    assert keyless.problem is not None and "No SkipUp API key" in keyless.problem
    assert "config set-key --profile keyless" in keyless.problem


def test_the_flags_apply_to_every_profile() -> None:
    write_config(TWO_PROFILES)
    setup = open_profile(Options(no_cache=True, no_history=True, read_only=True), "first")
    assert setup.workspace.list_cache is None and setup.workspace.history is None
    assert not setup.workspace.writable


def test_the_demo_has_its_own_parts() -> None:
    write_config(TWO_PROFILES)
    demo = open_profile(Options(demo=True), early_page=False)
    assert (demo.label, demo.state_name, demo.problem) == ("demo", "demo", None)
    assert isinstance(demo.workspace.history, HistoryLink)
    assert demo.history is not None and demo.history.seed is not None


async def test_a_command_is_refused_its_client_with_the_reason() -> None:
    write_config(TWO_PROFILES)
    writes = open_profile(Options(ui=False, writes=True), "second")
    with pytest.raises(ProfileRefused) as refused:
        await writes.workspace.get_client()
    assert refused.value.forbidden and "read-only" in refused.value.message
    keyless = open_profile(Options(ui=False), "keyless")
    assert keyless.missing_key
    with pytest.raises(ProfileRefused) as refused:
        await keyless.workspace.get_client()
    assert not refused.value.forbidden and "config set-key --profile keyless" in str(refused.value)
    # A command keeps nothing between runs: no list cache, no memory of a refusal.
    first = open_profile(Options(ui=False), "first")
    assert first.workspace.list_cache is None and first.workspace.write_memory is None
    await first.workspace.aclose()
