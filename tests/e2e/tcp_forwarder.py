"""A TCP forwarder on loopback that a test can cut or blackhole: real network faults between
two processes."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from tests.services import free_port


class TcpForwarder:
    """Forwards 127.0.0.1:<port> to a target; `cut()` closes every connection and refuses new
    ones, `blackhole()` keeps accepting but answers nothing (bytes either way are dropped, the
    way a hung server or pooler behaves), `mend()` forwards again (after a blackhole it first
    closes the connections that lost bytes)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.port = free_port()
        self._target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._blackholed = False
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self.mend()

    def mend(self) -> None:
        self._call(self._mend())

    def cut(self) -> None:
        self._call(self._close_all())

    def blackhole(self) -> None:
        self._call(self._blackhole())

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _call(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)  # type: ignore[arg-type]

    async def _mend(self) -> None:
        if self._blackholed:
            self._blackholed = False
            self._close_connections()
        if self._server is None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _blackhole(self) -> None:
        self._blackholed = True
        if self._server is None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _close_all(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._close_connections()

    def _close_connections(self) -> None:
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self._blackholed:
            await self._swallow(reader)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _swallow(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(OSError):
            while await reader.read(65536):
                pass

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await reader.read(65536):
                if self._blackholed:
                    continue  # dropped, like a peer that has stopped answering
                writer.write(chunk)
                await writer.drain()
        writer.close()
