"""How the bot talks HTTP to the Bot API: aiohttp by default, PTB's own httpx client on request.

Every reply, button toast and reminder is one Bot API call. Through PTB's default httpx client
a call costs about 1.1-1.7 ms of CPU in the bot's one busy thread, through aiohttp about 0.3 ms
(benchmarks/conversation.py shows what that does to answers per second). PTB's `BaseRequest`
is the seam it offers for another HTTP library; `THIDUA_HTTP_CLIENT=httpx` goes back to PTB's own.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.request
from typing import Literal

import aiohttp
import certifi

# PTB's own names for "a value, or use the default", as its HTTPXRequest imports them.
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

__all__ = ["AiohttpRequest", "HttpClient", "UpdatesRequest", "make_request"]

HttpClient = Literal["aiohttp", "httpx"]
# The token is part of every Bot API path; no error message may carry it into a log.
_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


def make_request(
    client: HttpClient, *, pool_size: int, read_timeout: float | None = 5.0
) -> BaseRequest:
    """A request object for a `Bot` or an `Application` builder, with `pool_size` connections."""
    if client == "httpx":
        return HTTPXRequest(connection_pool_size=pool_size, read_timeout=read_timeout)
    return AiohttpRequest(pool_size=pool_size, read_timeout=read_timeout)


class AiohttpRequest(BaseRequest):
    """PTB's `BaseRequest` over one aiohttp session; timeouts as `HTTPXRequest` takes them."""

    __slots__ = ("_pool_size", "_proxies", "_session", "_timeouts")

    def __init__(
        self,
        *,
        pool_size: int = 16,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
            "media_write": media_write_timeout,
        }
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # origin -> proxy URL, from the environment

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        # Made here, inside the running loop, as aiohttp requires.
        if self._session is None or self._session.closed:
            # certifi's roots, as httpx uses: the same servers are trusted whichever client.
            tls = ssl.create_default_context(cafile=certifi.where())
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=tls)
            # Not aiohttp's trust_env: it looks up proxy and netrc in a thread on every request.
            self._session = aiohttp.ClientSession(connector=connector)
            self._proxies = {}

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(
            read=self._given(read_timeout, "read"),
            write=self._given(write_timeout, "media_write" if files else "write"),
            connect=self._given(connect_timeout, "connect"),
            pool=self._given(pool_timeout, "pool"),
        )
        try:
            body, content_type = _body(request_data)
            headers = {"User-Agent": self.USER_AGENT}
            if content_type:
                headers["Content-Type"] = content_type
            async with self._session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's own timeouts derive from it
            raise TimedOut from error
        except aiohttp.ClientError as error:
            message = _TOKEN_IN_URL.sub("bot<token>", str(error))
            raise NetworkError(f"aiohttp.{type(error).__name__}: {message}") from error

    def _proxy(self, url: str) -> str | None:
        """The proxy HTTPS_PROXY, HTTP_PROXY and NO_PROXY name for the URL's host, as httpx does."""
        scheme, _sep, rest = url.partition("://")
        origin = rest.split("/", 1)[0]
        if origin not in self._proxies:
            host = origin.rsplit("@", 1)[-1]
            proxies = urllib.request.getproxies()
            bypass = urllib.request.proxy_bypass(host.split(":")[0])
            self._proxies[origin] = None if bypass else proxies.get(scheme.lower())
        return self._proxies[origin]

    def _given(self, value: ODVInput[float], name: str) -> float | None:
        """A timeout passed to `do_request`, or this request's default for it."""
        return self._timeouts[name] if isinstance(value, DefaultValue) else value

    @staticmethod
    def _timeout(
        *, read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts for PTB's four: waiting for a connection counts as connecting.

        aiohttp has no write timeout; the whole request is bounded by the sum of the four
        instead, so a stalled upload still ends.
        """
        parts = (read, write, connect, pool)
        total = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        return aiohttp.ClientTimeout(
            total=total,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )


class UpdatesRequest(AiohttpRequest):
    """The getUpdates connection, which also keeps each update's JSON as Telegram sent it: the
    poller stores that (bot/edge/polling.py), where PTB's `Update.to_json` of the parsed update
    cost about 0.1 ms of the one busy thread per update."""

    __slots__ = ("sent",)

    def __init__(self, *, pool_size: int = 1, read_timeout: float | None = 5.0) -> None:
        super().__init__(pool_size=pool_size, read_timeout=read_timeout)
        self.sent: dict[int, str] = {}  # update id -> its JSON, for the last batch

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        self.sent = _updates_sent(payload) if status == 200 else {}
        return status, payload


def _updates_sent(payload: bytes) -> dict[int, str]:
    """Update id -> its JSON, for the updates of a getUpdates answer (none from anything else)."""
    try:
        result = json.loads(payload).get("result")
    except (ValueError, AttributeError):
        return {}  # PTB's own parsing says what is wrong with it
    if not isinstance(result, list):
        return {}
    return {
        item["update_id"]: json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        for item in result
        if isinstance(item, dict) and isinstance(item.get("update_id"), int)
    }


def _body(request_data: RequestData | None) -> tuple[aiohttp.FormData | bytes | None, str]:
    """The parameters as a JSON body (the Bot API takes one), multipart when files go along.

    Not PTB's URL-encoded form: percent-encoding a reply's Vietnamese text and its keyboard
    byte by byte cost more CPU than the rest of the call (benchmarks/conversation.py).
    """
    if request_data is None:
        return None, ""
    if not request_data.contains_files:
        values = request_data.parameters
        if not values:
            return None, ""
        body = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        return body, "application/json"
    fields = request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form, ""
