"""The app's own commands in the command palette (ctrl+p), including jump-to-campaign."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from skipup_campaigns.workspace.collection import CampaignCollection

MAX_CAMPAIGN_HITS = 30


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with palette commands and campaigns to jump to."""

    collection: CampaignCollection

    def palette_commands(self) -> list[tuple[str | Content, Callable[[], object], str]]: ...

    def select_campaign(self, campaign_id: str) -> bool: ...


class CampaignCommands(Provider):
    """Refresh, toggle active/all, sort, and jump to any loaded campaign by name: offered by
    the screen the palette was opened on, when it is the list (see `ListScreen`)."""

    def _list_screen(self) -> OffersCommands | None:
        screen = self.screen
        return screen if isinstance(screen, OffersCommands) else None

    def _commands(self) -> list[tuple[str | Content, Callable[[], object], str]]:
        screen = self._list_screen()
        if screen is not None:
            return screen.palette_commands()
        if getattr(self.screen, "OFFERS_PROFILES", False):  # (the setup problem's page)
            return profile_entries(self.app)
        return []

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(
                name, command, text=str(getattr(name, "plain", name)), help=help_text
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            # A Content name holds the user's text (a view's name): matched, never parsed.
            plain = name.plain if isinstance(name, Content) else name
            score = matcher.match(plain)
            if score > 0:
                shown = name if isinstance(name, Content) else matcher.highlight(name)
                yield Hit(score, shown, command, text=plain, help=help_text)
        screen = self._list_screen()
        needle = query.strip().casefold()
        if screen is None or not needle:
            return
        hits = 0
        for row in screen.collection.view_all_by_name():
            at = row.find_in_name(needle)  # (its folded name is not kept apart from its text)
            if at >= 0:
                # Server text: shown as plain Content, never through the markup-parsing
                # highlighter.
                label = Content("Go to ") + Content(row.name)  # already made safe
                score = 0.9 if at == 0 else 0.6
                yield Hit(
                    score, label, partial(screen.select_campaign, row.id), text=f"Go to {row.name}"
                )
                hits += 1
                if hits >= MAX_CAMPAIGN_HITS:
                    return


def profile_entries(app: object) -> list[tuple[str | Content, Callable[[], object], str]]:
    """ "Profile: NAME" for each profile `app` can switch to (`:profile NAME`)."""
    choices = getattr(app, "profile_choices", None)
    switch = getattr(app, "switch_profile", None)
    if choices is None or switch is None:
        return []

    def run(name: str) -> None:
        from skipup_campaigns.tui.colon_commands import CommandError

        try:
            switch(name)
        except CommandError as exc:
            app.notify(str(exc), severity="error", markup=False)  # type: ignore[attr-defined]

    # A profile's name is the user's text: plain Content, never read as markup.
    return [
        (Content("Profile: ") + Content(name), partial(run, name), f":profile {name}")
        for name in choices()
    ]
