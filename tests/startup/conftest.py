"""The start-up tests draw the list screen too: the UI's fixtures, shared with tests/tui."""

from tests.tui.conftest import make_app, transport

__all__ = ["make_app", "transport"]
