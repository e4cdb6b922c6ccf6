"""Teams when the API will not list them: the teams seen in the campaigns.

A key may lack `teams.read` (403), and the real API may have no teams endpoint (404): the
form's picker and the commands' `--team` then offer the teams the loaded campaigns name.
No Textual; the Team model is imported only when one is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Team

FROM_CAMPAIGNS_NOTE = "teams from your campaigns; this key cannot list teams"
"""The one line that says where the teams offered came from."""


def teams_from_campaigns(pairs: Iterable[tuple[str, str]]) -> list[Team]:
    """One team per id, named as its first campaign names it. `pairs`: (team_id, team_name)
    of each campaign."""
    from skipup_campaigns.api.models import Team

    seen: dict[str, str] = {}
    for team_id, team_name in pairs:
        seen.setdefault(team_id, team_name)
    return [Team(id=team_id, name=name, slug="", mode="") for team_id, name in seen.items()]


def why_unlisted(exc: BaseException | None) -> str:
    """Why the teams were gathered from the campaigns, in a few words (a command says so)."""
    from skipup_campaigns.api.errors import PermissionDeniedError

    if isinstance(exc, PermissionDeniedError):
        return "this key cannot list teams (teams.read)"
    return "the API does not list teams"


def cannot_list_teams(exc: BaseException) -> bool:
    """Whether a failure to list teams means "not for this key" (403) or "no such endpoint"
    (404): the teams seen in the campaigns stand in."""
    from skipup_campaigns.api.errors import NotFoundError, PermissionDeniedError

    return isinstance(exc, (PermissionDeniedError, NotFoundError))
