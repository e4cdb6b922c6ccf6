"""The terminal UI (Textual). Every request goes through `skipup_campaigns.api`."""
