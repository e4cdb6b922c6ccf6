"""A text field looks like a field in every theme the app offers: an unfocused field's
background stands apart from the form's, also once brought down to 256 colours (in the light
theme it did not: Start, End and Description looked like plain text, found in a user test);
ANSI themes, which have only the terminal's own colours, underline it instead."""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color
from textual.widget import Widget

from tests.demo_app import demo_app, loaded


def in_256_colours(color: Color) -> int | None:
    return RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT).number


def stands_apart(field: Widget, focused: Widget) -> bool:
    """From the form behind it, and from the focused field."""
    assert field.parent is not None
    if field.app.native_ansi_color:
        return bool(field.styles.text_style.underline)
    own = in_256_colours(field.background_colors[1])
    return own not in (
        in_256_colours(field.parent.background_colors[1]),
        in_256_colours(focused.background_colors[1]),
    )


async def test_unfocused_fields_show_as_fields_in_every_theme() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await loaded(pilot)
        await pilot.press("e")
        await loaded(pilot)
        screen = app.screen
        fields = [screen.query_one(f"#{name}") for name in ("starts", "ends", "description")]
        focused = app.focused
        assert focused is not None and focused not in fields
        plain = []
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            plain += [
                f"{theme}: {field.id}" for field in fields if not stands_apart(field, focused)
            ]
        assert plain == []
