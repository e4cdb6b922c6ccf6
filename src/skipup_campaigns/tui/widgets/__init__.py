"""Widgets of the campaign UI."""
