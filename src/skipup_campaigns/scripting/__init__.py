"""Commands for scripts and pipes (`list`, `show`, `create`, `update`, `deactivate`,
`config …`): the same client and errors as the UI, no UI. Output is made inert like the screen's,
except `--json`, which is exact JSON."""
