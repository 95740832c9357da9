"""`FakeTelegram`: the sections of the fake put together, and its life as a local server."""

from __future__ import annotations

import threading
from types import TracebackType

from bot.fake_telegram.api import HttpApi
from bot.fake_telegram.configuring import Configuring
from bot.fake_telegram.driving import Driving
from bot.fake_telegram.observing import Observing
from bot.fake_telegram.server import Server

__all__ = ["FakeTelegram"]


class FakeTelegram(HttpApi, Driving, Configuring, Observing):
    """A fake Telegram Bot API server on a real local HTTP port."""

    def start(self) -> FakeTelegram:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            raise RuntimeError("FakeTelegram is already started")
        self._stopping = False
        self._server = Server((self._host, self._port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end pending long polls and close every connection."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            # Long polls now answer; let them finish writing before their sockets are cut.
            self._cond.wait_for(lambda: self._answering == 0, timeout=2.0)
        server.shutdown()
        server.cut_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on (only once started)."""
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give PTB as `base_url`; it appends the token and the method."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """What to give PTB as `base_file_url`."""
        return f"http://{self._host}:{self.port}/file/bot"
