"""Which keys the sandbox may serve, given who can reach it.

The built-in test keys are public (the README prints them). On loopback only this machine can
use them; on any other address anyone who reaches the port could read and change the data, so
there they are served only when asked for (`--allow-test-credentials`), with a warning either
way. (The flag's name holds no "key": no option of ours takes a key, and tests check that.)
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from skipup_campaigns.sandbox.app import ApiKey, default_keys


@dataclass(frozen=True)
class KeysToServe:
    keys: dict[str, ApiKey]
    warning: str | None = None
    refusal: str | None = None
    """Set when there is nothing safe to serve: the command stops with this line."""


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback one (a name is resolved; a name that
    does not resolve counts as reachable, to be safe)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    addresses = {str(info[4][0]).partition("%")[0] for info in found}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def keys_to_serve(
    host: str, own_keys: dict[str, ApiKey], *, allow_test_credentials: bool
) -> KeysToServe:
    """The built-in keys plus `own_keys` (from `--api-key`) on loopback; elsewhere the built-in
    ones only with `allow_test_credentials`."""
    built_in = default_keys()
    if is_loopback(host):
        return KeysToServe({**built_in, **own_keys})
    reachable = f"listening on {host}, which other machines may reach, over plain HTTP"
    if allow_test_credentials:
        return KeysToServe(
            {**built_in, **own_keys},
            warning=(
                f"{reachable}, with the built-in test keys ({', '.join(built_in)}), which are "
                "public: anyone who reaches this port can read and change its data"
            ),
        )
    if not own_keys:
        return KeysToServe(
            {},
            refusal=(
                f"refusing to serve the built-in test keys, which are public, on {host} (reachable "
                "from other machines): give your own with --api-key KEY=SCOPE,SCOPE, or pass "
                "--allow-test-credentials to serve them anyway"
            ),
        )
    return KeysToServe(
        dict(own_keys),
        warning=(
            f"{reachable}: the built-in test keys are off "
            "(--allow-test-credentials turns them on); "
            "only the --api-key keys work"
        ),
    )
