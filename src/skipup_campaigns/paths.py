"""Where the tool keeps its files: per-user directories from platformdirs (XDG honoured), and
the stylesheets shipped with the package.

These functions only name a directory or file; a caller about to write there makes the
directory private with `private_files.ensure_private_dir` (this module imports nothing of the
project, so private_files can import it)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "skipup-campaigns"


def data_dir() -> Path:
    """Persistent user data, e.g. the demo database."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def salt_file() -> Path:
    """The per-user salt of keyed file names (private_files.keyed_name)."""
    return data_dir() / "name-salt"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def styles_dir() -> Path:
    """The `.tcss` files: inside the installed package (the wheel force-includes `styles/`), or
    the repository's top-level `styles/` when running from a source checkout."""
    packaged = Path(__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "styles"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"stylesheets not found in {packaged} or {checkout}")
