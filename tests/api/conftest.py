"""The client's tests against a server that breaks the contract on purpose."""

from tests.hostile_server import hostile_server

__all__ = ["hostile_server"]
