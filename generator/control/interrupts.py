"""Stopping a run on SIGINT or SIGTERM: at once, with the output whole, without a traceback.

`generate` writes nothing until every file is rendered and formatted, so a run stopped
before its write phase leaves the output exactly as it was (a first generation's staging
folder, `control.reserve`, goes as the stack unwinds). While `handled()` is active a
signal kills the worker processes (`lifeline.kill_workers`: a job in progress could take
seconds) and raises `Interrupted` in the main thread; the stack unwinds (temporary folders
removed, nothing half-written) to the CLI, which prints one line and exits 128 + the
signal's number (130 for SIGINT, 143 for SIGTERM).

Inside `writing()` (the write phase: temporary file + rename per file, manifest last;
a fraction of a second) a signal is held until the block ends: the write is finished, so
the output is the complete new project, never part old and part new. `Interrupted` is
raised when the block ends.

Should unwinding take longer than `GRACE` seconds (a stuck call), a timer ends the process
with the same line and code. It is the only output that does not go through the CLI.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from sdkforge.control import lifeline

GRACE = 0.8
"""Seconds the unwinding may take before the process is ended outright."""

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A signal stopped the run (a BaseException, like KeyboardInterrupt: `except
    Exception` blocks that fall back to another way of doing the work must not catch it)."""

    def __init__(self, signum: int, *, after_write: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.after_write = after_write
        self.timer: threading.Timer | None = None

    def settle(self) -> None:
        """The CLI has taken over (it prints and exits now): no forced exit."""
        if self.timer is not None:
            self.timer.cancel()

    @property
    def code(self) -> int:
        """The conventional exit code: 128 + the signal's number."""
        return 128 + self.signum

    def message(self, output: object) -> str:
        """The one line the CLI prints (`output` None: a command that writes nothing)."""
        name = signal.Signals(self.signum).name
        if output is None:
            return f"sdkforge: stopped by {name}"
        if self.after_write:
            return f"sdkforge: stopped by {name} after writing {output} completely"
        return f"sdkforge: stopped by {name}; {output} was not touched"


class _State:
    """Where the run is: whether signals are held, and which arrived meanwhile."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.holding = False
        self.held: list[int] = []
        self.output: object = "the output"


_STATE = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _STATE.pid:  # a forked worker before its own handlers are set
        os._exit(128 + signum)
    if _STATE.holding:
        _STATE.held.append(signum)
        return
    _stop(Interrupted(signum))


def _stop(exc: Interrupted) -> None:
    lifeline.kill_workers()
    exc.timer = threading.Timer(GRACE, _force_exit, args=(exc,))
    exc.timer.daemon = True
    exc.timer.start()
    raise exc


def _force_exit(exc: Interrupted) -> None:
    with contextlib.suppress(OSError):
        os.write(2, (exc.message(_STATE.output) + "\n").encode())
    os._exit(exc.code)


@contextlib.contextmanager
def handled(output: object) -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` (see the module docstring) inside the block;
    `output` names the output in the messages. Outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _STATE.pid = os.getpid()
    _STATE.output = output
    previous = {s: signal.signal(s, _on_signal) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done, then stop for the first one (a
    block that fails raises its own error instead)."""
    with held(after_write=True):
        yield


@contextlib.contextmanager
def held(*, after_write: bool = False) -> Iterator[None]:
    """`writing()` for any short block that must not be cut in two (a reservation being
    started and recorded, `control.reserve`): the stop comes when it is done."""
    _STATE.holding, _STATE.held = True, []
    try:
        yield
    finally:
        _STATE.holding = False
    if _STATE.held:
        _stop(Interrupted(_STATE.held[0], after_write=after_write))
