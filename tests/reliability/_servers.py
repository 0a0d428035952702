"""Raw-socket HTTP servers for behaviour pytest-httpserver cannot produce (hangs, drips, cuts)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Handler = Callable[[socket.socket], None]


@contextmanager
def raw_server(handler: Handler, connections: int = 1) -> Iterator[tuple[str, list[int]]]:
    """Serve ``connections`` connections with ``handler`` on 127.0.0.1.

    Yields the base URL and a list that gets one entry per accepted connection, so tests
    can assert how many attempts the client made.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(connections)
    sock.settimeout(10)
    seen: list[int] = []

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                conn.recv(65536)  # the request; its content does not matter here
                handler(conn)
            except OSError:
                pass  # the client hung up first, which is what some tests provoke

    def serve() -> None:
        # One thread per connection: a retry must reach the server while the first
        # attempt's handler is still sleeping.
        for _ in range(connections):
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            seen.append(1)
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    finally:
        sock.close()
        thread.join(5)


def never_answers(seconds: float) -> Handler:
    def handle(conn: socket.socket) -> None:
        time.sleep(seconds)

    return handle


def drips(length: int, every_s: float) -> Handler:
    """Promise ``length`` bytes, then send one byte per ``every_s`` seconds."""

    def handle(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n".encode())
        for _ in range(length):
            conn.sendall(b"a")
            time.sleep(every_s)

    return handle


def chunked_then_cut(body: bytes) -> Handler:
    """A chunked response that announces a chunk longer than what is sent, then closes."""

    def handle(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.sendall(f"{len(body) * 4:x}\r\n".encode() + body)

    return handle


def free_port() -> int:
    """A port nothing listens on (bound, read, closed)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
