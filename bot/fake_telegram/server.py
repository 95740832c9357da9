"""The local HTTP server: threads, keep-alive connections, and reading and writing raw requests."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

__all__ = ["RequestHandler", "Server", "read_body", "write"]


class Answering(Protocol):
    """What the server hands its requests and its unexpected errors to."""

    def _serve(self, handler: RequestHandler) -> None: ...

    def _note_server_error(self, error: BaseException) -> None: ...


class RequestHandler(BaseHTTPRequestHandler):
    """Hands every request to the owning `FakeTelegram`."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; Nagle plus delayed ACKs would add ~40 ms to each.
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        """Track the connection so that `stop` can cut idle keep-alive connections."""
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def do_GET(self) -> None:
        """Serve a Bot API call or a file download."""
        self.server.fake._serve(self)

    def do_POST(self) -> None:
        """Serve a Bot API call."""
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and benchmarks read stderr."""


class Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its open connections."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: Answering) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, RequestHandler)

    def server_bind(self) -> None:
        """Bind without `HTTPServer`'s reverse DNS lookup, which can stall for seconds."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def track(self, connection: socket.socket, *, add: bool) -> None:
        """Add or remove an open connection."""
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def cut_connections(self) -> None:
        """Shut down every open connection so that its handler thread ends."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away; keep anything else for `server_errors`."""
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            self.fake._note_server_error(error)


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body, whether sized by Content-Length or sent chunked."""
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size = int(handler.rfile.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline(65537)
    length = int(handler.headers.get("Content-Length") or 0)
    if length < 0:
        raise ValueError("negative Content-Length")
    return handler.rfile.read(length) if length else b""


def write(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "application/json",
) -> None:
    """Send a complete response; a client that went away is not an error."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except OSError:
        handler.close_connection = True
