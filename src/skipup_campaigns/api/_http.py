"""httpx, imported without its command line.

`import httpx` also imports `httpx._main` (its `httpx` command: click and pygments, ~20 ms of
CPU, a tenth of httpx's import) unless that import fails, which httpx allows for (its `main`
then says the extras are missing). Nothing here runs that command: the first import of httpx
made here has `_main` fail; an httpx that cannot do without it is imported as it is.
"""

import sys

__all__ = ["httpx"]

if "httpx" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]  # (its import: ImportError)
    try:
        import httpx
    except ImportError:
        pass  # (imported as it is below)
    finally:
        if sys.modules.get("httpx._main", ...) is None:
            del sys.modules["httpx._main"]  # an explicit import of it later works as ever

import httpx as httpx  # noqa: E402, PLC0414 - this module's one name
