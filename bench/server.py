"""gunicorn for the benchmarks: serve the shop on a free port of 127.0.0.1, always stopped on the way out."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.loadgen import HOST

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL_PATH = "/bench/trivial/"


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 30, cookie: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed http URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def gunicorn(*, workers: int, log_path: Path, app: str = "shop.wsgi:application"):
    """Serve `app` on a free port of 127.0.0.1; always stopped on the way out."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--chdir={ROOT}",
        "--timeout=60",
        "--log-level=warning",
    ]
    log_file = log_path.open("ab")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail(log_path)}")
            with contextlib.suppress(OSError):
                if fetch(port, TRIVIAL_PATH, timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s:\n{tail(log_path)}")
            time.sleep(0.2)
        log(f"gunicorn (pid {process.pid}, {workers} workers, {app}) on http://{HOST}:{port}")
        yield port
    finally:
        stop_process_group(process)
        log_file.close()


def tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:] if path.exists() else ""


def stop_process_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the group of the gunicorn we started: master and workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    log("gunicorn stopped")


def drain(port: int, *, limit: float = 120) -> None:
    """Wait until the requests a load generator left queued in gunicorn are served (the trivial view answers fast)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        began = time.monotonic()
        with contextlib.suppress(OSError):
            fetch(port, TRIVIAL_PATH, timeout=limit)
        if time.monotonic() - began < 0.05:
            return


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def run_bench(run, args) -> int:
    """A benchmark's exit code: `run(args)`, or 2 when it fails, 130 when interrupted. A terminated run
    unwinds like Ctrl-C, so gunicorn (in its own session) is always stopped."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    try:
        return run(args)
    except RuntimeError as error:
        log(str(error))
        return 2
    except subprocess.CalledProcessError as error:
        log(f"{' '.join(map(str, error.cmd[1:]))} failed with exit code {error.returncode}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
