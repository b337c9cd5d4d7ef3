"""A PostgreSQL server of the test's own (never the machine's shared one), to restart at will.

initdb and pg_ctl run as the `postgres` OS user in a temporary folder that user owns; the
server listens on a free loopback port with trust authentication.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.stack import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
OS_USER = "postgres"


@dataclass
class PrivatePostgres:
    """One throw-away server: `start`, `restart`, `stop`, and its `url`."""

    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _pg_ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        command = [str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log")]
        _as_postgres([*command, "-o", options, "-w", "-t", "30", *args])

    def init(self) -> None:
        _as_postgres(
            [str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: open connections are cut, the server is back at once."""
        self._pg_ctl("-m", "fast", "restart")

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""


def _as_postgres(command: list[str]) -> None:
    subprocess.run(
        ["runuser", "-u", OS_USER, "--", *command],
        check=True,
        capture_output=True,
        timeout=60,
    )


def available() -> bool:
    """Whether this machine can run a private server (binaries, the OS user, root)."""
    return (BIN / "pg_ctl").exists() and shutil.which("runuser") is not None


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh server, started; stopped and deleted on the way out."""
    root = Path(tempfile.mkdtemp(prefix="tiepdan-pg-"))
    shutil.chown(root, OS_USER, OS_USER)
    server = PrivatePostgres(root=root, port=free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
