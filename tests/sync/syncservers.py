"""Real servers for the sync tests, on loopback: pymap (IMAP, in memory) and Radicale (CalDAV/CardDAV on a
temporary folder), each started as its own process, and a TCP relay that can hang up mid-answer."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

USER, PASSWORD = "me@example.org", "s3cret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def start_pymap(port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-c", "from pymap.main import main; main()", "--host", "127.0.0.1", "--port",
           str(port), "--no-tls", "--no-service", "managesieve", "dict", "--demo-user", USER,
           "--demo-password", PASSWORD]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc)
    return proc


def start_radicale(folder: Path, port: int) -> subprocess.Popen[bytes]:
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    cmd = [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
           "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
           "--auth-htpasswd-encryption", "plain", "--storage-filesystem-folder", str(folder / "collections"),
           "--rights-type", "owner_only", "--logging-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc)
    return proc


def make_collection(base: str, path: str, kind: str) -> str:
    """An address book or calendar made the way clients make them (extended MKCOL)."""
    rt = ("<C:addressbook xmlns:C='urn:ietf:params:xml:ns:carddav'/>" if kind == "card"
          else "<C:calendar xmlns:C='urn:ietf:params:xml:ns:caldav'/>")
    body = (f"<?xml version='1.0'?><D:mkcol xmlns:D='DAV:'><D:set><D:prop><D:resourcetype><D:collection/>"
            f"{rt}</D:resourcetype></D:prop></D:set></D:mkcol>")
    url = f"{base}/{USER}/{path}/"
    r = httpx.request("MKCOL", url, content=body, auth=(USER, PASSWORD))
    assert r.status_code == 201, r.text
    return url


class Relay:
    """A TCP relay to a server; once ``cut_after`` is set, it hangs up after that many more bytes from the
    server, as a network that drops mid-answer."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = int(self.sock.getsockname()[1])
        self.cut_after: int | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_server: bool) -> None:
        try:
            while data := src.recv(4096):
                if from_server and self.cut_after is not None:
                    if len(data) >= self.cut_after:
                        dst.sendall(data[:self.cut_after])
                        raise OSError("cut")
                    self.cut_after -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self.sock.close()
