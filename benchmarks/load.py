"""gunicorn on 127.0.0.1 serving benchmarks.bench_wsgi, and wrk driving it with the corpus script."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "corpus.lua"
USER_AGENT = "moderation-bench"


class ToolMissing(Exception):
    """wrk or gunicorn is not installed; the message says how to get it."""


def require(name: str, how: str) -> str:
    path = shutil.which(name) or (str(Path(sys.executable).parent / name)
                                  if (Path(sys.executable).parent / name).exists() else None)
    if not path:
        raise ToolMissing(f"`{name}` not found: {how}")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn -w N` on a free loopback port for the duration of a `with` block."""

    def __init__(self, workers: int, settings: dict, redis_url: str | None):
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "BENCH_APP_SETTINGS": json.dumps(settings), "PYTHONPATH": str(REPO_ROOT)}
        env.pop("DATABASE_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.command = [require("gunicorn", "pip install -e '.[bench]'"), "-w", str(workers), "-b",
                        f"127.0.0.1:{self.port}", "--log-level", "warning", "benchmarks.bench_wsgi:app"]
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.process = subprocess.Popen(self.command, env=self.env, cwd=REPO_ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/bench/noop", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def drain(self) -> None:
        """Wait until requests still queued from the last load are answered, so they do not slow the next one."""
        with urllib.request.urlopen(self.base + "/bench/noop", timeout=300) as answer:
            answer.read()

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker process."""
        import psutil

        return [child.memory_info().rss / 2**20 for child in psutil.Process(self.process.pid).children()]


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    ok: int
    failed: int
    sent: int
    last_failure: int
    socket_errors: int
    timeouts: int

    @property
    def rate(self) -> float:
        """Answered requests a second (2xx only: errors are not throughput)."""
        return self.ok / self.seconds


def wrk(url: str, *, seconds: float, connections: int, threads: int = 2, method: str = "GET",
        bodies: Path | None = None, auth: str | None = None, cookie: str | None = None,
        idempotency_label: str | None = None, ids_dir: Path | None = None) -> WrkResult:
    """One wrk run with the corpus script; the figures its done() hook prints."""
    command = [require("wrk", "apt-get install -y wrk"), f"-t{min(threads, connections)}", f"-c{connections}",
               f"-d{seconds}s", "--timeout", "10s", "-s", str(WRK_SCRIPT), url]
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_UA": USER_AGENT}
    for name, value in (("BENCH_BODIES", bodies), ("BENCH_AUTH", auth), ("BENCH_COOKIE", cookie),
                        ("BENCH_IDEMPOTENCY", idempotency_label), ("BENCH_IDS_DIR", ids_dir)):
        if value:
            env[name] = str(value)
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return WrkResult(
        requests=data["requests"], seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1e3,
        p99_ms=data["p99_us"] / 1e3, ok=data["ok"], failed=data["failed"], sent=data["sent"],
        last_failure=data["last_failure"], socket_errors=data["socket_errors"], timeouts=data["timeouts"],
    )
