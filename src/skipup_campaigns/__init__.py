"""skipup-campaigns: manage SkipUp campaigns from the terminal."""

__version__ = "0.1.0"
