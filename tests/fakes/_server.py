"""A loopback aiohttp server that lives inside the running event loop."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from aiohttp import web

SHUTDOWN_GRACE_SECONDS = 0.5


class LoopbackServer:
    """Serve an aiohttp application on 127.0.0.1 at a free port.

    `closing` is set when the server starts to shut down, so handlers that
    wait (long polls, stalled responses) can return at once instead of
    holding the shutdown up.
    """

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._runner: web.AppRunner | None = None
        self.closing = asyncio.Event()
        self.port = 0

    @property
    def base_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the server is not running; use it as `async with`")
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        runner = web.AppRunner(
            self._app,
            access_log=None,
            shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
            handle_signals=False,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        self.closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class FakeService:
    """Base for the fakes: `async with Fake() as fake:` starts and stops it."""

    def __init__(self) -> None:
        self._server = LoopbackServer(self._build_app())

    def _build_app(self) -> web.Application:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def port(self) -> int:
        return self._server.port

    async def __aenter__(self) -> Self:
        await self._server.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._server.stop()
