"""A visitor who is not signed in cannot make the server take in a large body: the answer comes at once, before
the body has been sent, on the upload routes too (a client that announces 20 MB and sends a trickle holds
nothing open)."""

from __future__ import annotations

import socket
import time
import urllib.parse


def send_partial(base_url: str, path: str, announced: int, sent: int) -> tuple[str, float]:
    """POSTs with `Content-Length: announced` but only `sent` bytes, then waits; returns the status line and
    the seconds until it came."""
    url = urllib.parse.urlparse(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        head = (f"POST {path} HTTP/1.1\r\nHost: {url.hostname}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {announced}\r\n\r\n").encode()
        started = time.monotonic()
        connection.sendall(head + b"-" * sent)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer.split(b"\r\n", 1)[0].decode(), time.monotonic() - started


def test_an_unknown_sender_announcing_a_large_upload_is_answered_before_sending_it(base_url: str):
    for path in ("/nominations/1/scan", "/import", "/login"):
        status, seconds = send_partial(base_url, path, announced=20 * 1024 * 1024, sent=1024)
        assert " 413 " in status + " ", f"{path}: {status}"
        assert seconds < 3, f"{path}: answered after {seconds:.1f} s: the server waited for the body"
