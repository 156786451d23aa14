"""The parent of `tsunagu serve --workers N`: uvicorn's multiprocess supervisor with two duties
it does not do itself (ADR 0020).

- A worker that exits (killed, crashed, replaced, or stopped at shutdown) is reported to
  `on_worker_exit(pid)`; `serve` removes its live gauges there, so a `livemin`/`livemax`
  gauge such as `tsunagu_snapshot_refreshed_timestamp_seconds` stops reporting a dead process.
- On SIGTERM or SIGINT the parent closes its own copy of the listening socket and tells every
  worker to stop (each closes its copy as it begins its graceful shutdown). Until every copy
  is closed the kernel keeps completing handshakes into a backlog that nobody accepts, so new
  connections hung until the slowest in-flight request ended; now they are refused at once, as
  with one worker, and a load balancer fails over. Requests in flight still complete.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Iterator
from socket import socket
from types import FrameType

from uvicorn.config import Config
from uvicorn.supervisors.multiprocess import Multiprocess

log = logging.getLogger(__name__)


class Supervisor(Multiprocess):
    def __init__(
        self, config: Config, sockets: list[socket], on_worker_exit: Callable[[int], None]
    ) -> None:
        super().__init__(config, sockets)
        self._on_worker_exit = on_worker_exit
        self._stopping = False
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop_listening_at_once)

    def keep_subprocess_alive(self) -> None:
        if self._stopping:
            return  # the workers we told to stop are not to be replaced
        with self._reporting_exits():
            super().keep_subprocess_alive()

    def handle_signals(self) -> None:
        with self._reporting_exits():  # SIGHUP replaces workers, SIGTTOU removes one
            super().handle_signals()

    def join_all(self) -> None:
        super().join_all()
        for process in self.processes:
            self._exited(process.pid, process.exitcode)

    def _stop_listening_at_once(self, sig: int, _frame: FrameType | None) -> None:
        """In the signal handler itself, not at the supervisor's next tick (which can wait
        on a slow worker's ping): close our copy of the listening socket and have every
        worker close its own; uvicorn's loop then handles the signal as usual."""
        self.signal_queue.append(sig)
        self._stopping = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()
        for process in self.processes:
            if process.pid is not None and process.exitcode is None:
                with contextlib.suppress(OSError):
                    os.kill(process.pid, signal.SIGTERM)

    @contextlib.contextmanager
    def _reporting_exits(self) -> Iterator[None]:
        before = {process.pid: process for process in self.processes}
        yield
        current = {process.pid for process in self.processes}
        for pid, process in before.items():
            if pid not in current:
                self._exited(pid, process.exitcode)

    def _exited(self, pid: int | None, exitcode: int | None) -> None:
        if pid is None:
            return
        if not self.should_exit.is_set():
            log.warning("worker %d exited (code %s)", pid, exitcode)
        self._on_worker_exit(pid)
