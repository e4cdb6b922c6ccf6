"""Where the tool keeps its files: per-user directories from platformdirs (XDG honoured), and
the stylesheets shipped with the package.

The `*_dir()` functions only name a directory; the `private_*_dir()` ones also create it (mode
0700, tightened if it exists looser), for callers about to write there."""

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


def private_data_dir() -> Path:
    """The data directory (the demo database, the remembered state, the naming salt), 0700."""
    from skipup_campaigns.private_files import ensure_private_dir

    return ensure_private_dir(data_dir())


def private_config_dir() -> Path:
    from skipup_campaigns.private_files import ensure_private_dir

    return ensure_private_dir(config_dir())


def private_cache_dir() -> Path:
    from skipup_campaigns.private_files import ensure_private_dir

    return ensure_private_dir(cache_dir())


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
