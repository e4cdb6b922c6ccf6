"""A campaign as the commands print it: the workspace's records (the UI's export writes the
same), named here for the commands."""

from skipup_campaigns.workspace.records import FIELDS, now, record, status_of

__all__ = ["FIELDS", "now", "record", "status_of"]
