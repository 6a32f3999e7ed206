"""The progress bar `sdkforge generate` shows on a terminal while a big spec generates.

The pipeline reports `(stage, done, total)`; this turns that into one line on stderr. It
is the CLI's only moving output, kept apart so the CLI module stays about commands.
"""

from __future__ import annotations

from typing import TextIO


class ProgressBar:
    """A one-line progress display on stderr, for terminals and big specs only.

    Shown when the stream is a terminal, not `--quiet`, and the spec has more than 50
    operations: small specs finish before a bar is useful, and logs and CI output
    should not fill with carriage returns.
    """

    THRESHOLD = 50

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream = stream
        self.enabled = not quiet and stream.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "operations":
            self.enabled = self.enabled and total > self.THRESHOLD
            return
        if not self.enabled or stage == "loading":
            return
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{stage:<11} [{bar}] {done}/{total}")
        self.shown = True
        if done >= total and stage == "formatting":
            self.stream.write("\n")
        self.stream.flush()
