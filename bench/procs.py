"""Child processes (gunicorn, dispatch workers): start in their own process group, always reap."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_children: list[subprocess.Popen[bytes]] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(args: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own fixed commands
        args, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()
    _children.append(process)
    return process


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM the child's process group, then SIGKILL whatever is left."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
    if process in _children:
        _children.remove(process)


def stop_all() -> None:
    for process in list(_children):
        stop(process, timeout=5)


def gunicorn_command(module: str, port: int, workers: int = 2, threads: int = 4) -> list[str]:
    """The Procfile's web command (same workers and threads, access log), bound to loopback."""
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        module,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--logger-class",
        "app.logs.RouteAccessLogger",
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(h)s "%(m)s %(U)s" %(s)s %(L)ss',
    ]


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def worker_pids(master_pid: int) -> list[int]:
    """Gunicorn worker processes: the master's children (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if not children.exists():
        return []
    return [int(pid) for pid in children.read_text().split()]


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the process's peak resident set size."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def gunicorn(
    module: str, *, env: dict[str, str], log: Path, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = spawn(gunicorn_command(module, port), env=env, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", timeout)
        yield base, process
    finally:
        stop(process)


def machine() -> dict[str, object]:
    memory_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
    }


def python() -> str:
    return sys.executable
