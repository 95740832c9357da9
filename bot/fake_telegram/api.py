"""HTTP plumbing: one request in, one Bot API answer or file download out."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.fake_telegram.methods import Methods
from bot.fake_telegram.objects import ApiError, Call, JSONDict, as_json
from bot.fake_telegram.params import parse_params
from bot.fake_telegram.server import RequestHandler, read_body, write

__all__ = ["HttpApi"]

_API_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


class HttpApi(Methods):
    """Records each call, applies scheduled failures and stalls, and answers it."""

    def _note_server_error(self, error: BaseException) -> None:
        """Keep an unexpected exception for `server_errors`."""
        with self._cond:
            self._server_errors.append(error)

    def _serve(self, handler: RequestHandler) -> None:
        """Answer one HTTP request."""
        try:
            body = read_body(handler)
        except (ValueError, OSError):
            handler.close_connection = True
            write(handler, 400, as_json(ApiError(400, "Bad Request").payload()))
            return
        content_type = handler.headers.get("Content-Type", "")
        with self._cond:
            self._answering += 1
        try:
            status, payload, kind = self.respond(handler.command, handler.path, content_type, body)
            write(handler, status, payload, kind)
        finally:
            with self._cond:
                self._answering -= 1
                self._cond.notify_all()

    def respond(
        self, http_method: str, target: str, content_type: str, body: bytes
    ) -> tuple[int, bytes, str]:
        """Answer one request (API call or file download) without any network: HTTP's core."""
        url = urlsplit(target)
        path = unquote(url.path)
        if match := _API_PATH.match(path):
            if page := self._proxy_page(http_method, url.path, match["method"]):
                return page
            status, payload = self._serve_api(
                match["token"], match["method"], content_type, url.query, body
            )
            return status, payload, "application/json"
        if http_method == "GET" and (match := _FILE_PATH.match(path)):
            return self._serve_file(match["token"], match["path"])
        return 404, as_json(ApiError(404, "Not Found").payload()), "application/json"

    def _proxy_page(
        self, http_method: str, path: str, method: str
    ) -> tuple[int, bytes, str] | None:
        """A page scheduled by `answer_next_with_page`: the call never reaches the Bot API."""
        with self._cond:
            pages = self._pages.get(method.lower())
            if not pages:
                return None
            status = pages.popleft()
            self._calls.append(Call(method, {}, self._clock(), status, "proxy error page"))
            self._cond.notify_all()
        title = f"{status} {HTTPStatus(status).phrase}"
        page = (
            f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
            f"<p>{http_method} {path}</p><hr><center>nginx</center></body></html>"
        )
        return status, page.encode(), "text/html"

    def _serve_file(self, token: str, file_path: str) -> tuple[int, bytes, str]:
        """The bytes of a registered file, or a JSON error."""
        if token != self.token:
            return 401, as_json(ApiError(401, "Unauthorized").payload()), "application/json"
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            return 404, as_json(ApiError(404, "Not Found").payload()), "application/json"
        return 200, stored.content, stored.mime_type or "application/octet-stream"

    def _serve_api(
        self, token: str, method: str, content_type: str, query: str, body: bytes
    ) -> tuple[int, bytes]:
        """Record and answer one Bot API call."""
        known = self._methods.get(method.lower())
        parse_error: str | None = None
        try:
            params = parse_params(content_type, query, body)
        except ValueError as error:
            params, parse_error = {}, f"Bad Request: {error}"
        call = Call(known[0] if known else method, params, self._clock())
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
            stalls = self._stalls.get(method.lower())
            stall, lost = stalls.popleft() if stalls else (0.0, False)
            if stall:  # waiting releases the lock: other requests go on meanwhile
                self._cond.wait_for(lambda: self._stopping, timeout=stall)
        try:
            if lost:
                raise ApiError(502, "Bad Gateway")
            result = self._answer(token, method.lower(), known, params, parse_error)
            with self._cond:
                payload = as_json({"ok": True, "result": result})
            status, description = 200, None
        except ApiError as error:
            status, description, payload = error.status, error.description, as_json(error.payload())
        except Exception as error:  # a bug in the fake must not hang the bot under test
            self._note_server_error(error)
            failure = ApiError(500, f"Internal Server Error: {error!r}")
            status, description, payload = 500, failure.description, as_json(failure.payload())
        with self._cond:
            call.status, call.description = status, description
            self._cond.notify_all()
        return status, payload

    def _answer(
        self,
        token: str,
        method: str,
        known: tuple[str, Callable[[JSONDict], Any]] | None,
        params: JSONDict,
        parse_error: str | None,
    ) -> Any:
        """The result of a call, or an `ApiError`."""
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        if known is None:
            raise ApiError(404, "Not Found: method not found")
        if parse_error is not None:
            raise ApiError(400, parse_error)
        with self._cond:
            self._raise_scheduled_failure(method)
            return known[1](params)

    def _raise_scheduled_failure(self, method: str) -> None:
        """Raise the next `fail_next` error for `method`, if any."""
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        raise failure.error
