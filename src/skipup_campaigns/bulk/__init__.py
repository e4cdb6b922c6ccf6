"""One change to many campaigns, without Textual: engine.py (preview, a paced run of checked
writes, a stop at once, undo), ops.py (the workspace's bulk actions on the engine,
their undo as one step), form.py (the bulk edit form's logic). The screens are in
`tui/bulk_screens.py` and `tui/bulk_flow.py`, the command in `scripting/bulk_commands.py`."""
