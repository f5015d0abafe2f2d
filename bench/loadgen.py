"""Load generators for the benchmarks: wrk with a Lua reporter, or threads with http.client as a fallback."""

import http.client
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


def run_wrk(port: int, path: str, *, seconds: float, concurrency: int, cookie: str = "") -> dict:
    threads = min(2, concurrency)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=10s",
        "-s",
        str(WRK_SCRIPT),
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        f"http://{HOST}:{port}{path}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line.removeprefix("WRK_JSON "))
            kinds = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
            errors = {kind: data[kind] for kind in kinds}
            return {
                "requests": data["requests"],
                "seconds": data["duration_us"] / 1e6,
                "p50_ms": data["p50_us"] / 1000,
                "p99_ms": data["p99_us"] / 1000,
                "errors": errors["status_errors"] + errors["timeouts"] + errors["connect_errors"],
                "error_detail": {k: v for k, v in errors.items() if v},
            }
    raise RuntimeError(f"wrk gave no result (exit {result.returncode}): {result.stderr.strip() or result.stdout}")


def _python_client_process(
    port: int, path: str, threads: int, start_at: float, seconds: float, queue, cookie: str = ""
) -> None:
    """One client process: `threads` keep-alive connections, each sending requests one after another."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    finished = [start_at]
    lock = threading.Lock()
    deadline = start_at + seconds

    def worker():
        local: list[float] = []
        local_errors: dict[str, int] = {}
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.time() < start_at:
            time.sleep(0.001)
        while True:
            began = time.perf_counter()
            if time.time() >= deadline:
                break
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    local_errors[f"status_{response.status}"] = local_errors.get(f"status_{response.status}", 0) + 1
                if response.will_close:
                    connection.close()  # gunicorn's sync workers close every connection; reopen next time
            except (OSError, http.client.HTTPException) as error:
                local_errors[type(error).__name__] = local_errors.get(type(error).__name__, 0) + 1
                connection.close()
                continue
            local.append(time.perf_counter() - began)
        connection.close()
        with lock:
            finished.append(time.time())
            latencies.extend(local)
            for key, value in local_errors.items():
                errors[key] = errors.get(key, 0) + value

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors, max(finished)))


def run_python(port: int, path: str, *, seconds: float, concurrency: int, cookie: str = "") -> dict:
    """Fallback load generator: processes (one per core) of threads with http.client, for a fixed time."""
    processes = max(1, min(concurrency, os.cpu_count() or 1))
    shares = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.3
    children = [
        context.Process(target=_python_client_process, args=(port, path, share, start_at, seconds, queue, cookie))
        for share in shares
    ]
    for child in children:
        child.start()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ended = start_at + seconds
    for _ in children:
        part, part_errors, part_ended = queue.get(timeout=seconds + 60)
        ended = max(ended, part_ended)
        latencies.extend(part)
        for key, value in part_errors.items():
            errors[key] = errors.get(key, 0) + value
    for child in children:
        child.join(timeout=10)
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": ended - start_at,  # the last requests, sent before the deadline, may end after it
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": sum(errors.values()),
        "error_detail": errors,
    }


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def choose_client(requested: str) -> str:
    if requested == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if requested == "wrk" and not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (apt-get install -y wrk), use --client python")
    return requested
