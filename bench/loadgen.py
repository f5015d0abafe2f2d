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
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
WRK_PATHS_SCRIPT = Path(__file__).resolve().parent / "wrk_paths.lua"


@dataclass(frozen=True)
class PathList:
    """A list of paths a run walks through, one request per path, starting at `offset` (see wrk_paths.lua)."""

    file: Path
    length: int
    offset: int = 0


def walked_indices(offset: int, sent: list[int], length: int) -> list[int]:
    """The list indices a run sent, thread by thread, as wrk_paths.lua and run_python walk them."""
    stride = len(sent)
    return [(offset + thread + k * stride) % length for thread, count in enumerate(sent) for k in range(count)]


def run_wrk(
    port: int, path: str, *, seconds: float, concurrency: int, cookie: str = "", paths: PathList | None = None
) -> dict:
    """Load `path` (or, with `paths`, one path of the list after another) with wrk for `seconds`."""
    threads = min(2, concurrency)
    script = [str(WRK_PATHS_SCRIPT)] if paths else [str(WRK_SCRIPT)]
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=10s",
        "-s",
        *script,
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        f"http://{HOST}:{port}{path}",
        *(["--", str(paths.file), str(paths.offset), str(threads)] if paths else []),
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
                "sent": data.get("sent", []),
            }
    raise RuntimeError(f"wrk gave no result (exit {result.returncode}): {result.stderr.strip() or result.stdout}")


def _python_client_process(
    port: int,
    path: str,
    threads: int,
    start_at: float,
    seconds: float,
    queue,
    cookie: str = "",
    walk: tuple[list[str], int, int, int] | None = None,
) -> None:
    """One client process: `threads` keep-alive connections, each sending requests one after another.

    With `walk` (paths, offset, first thread number, stride) thread t sends the paths at offset + t,
    offset + t + stride, ... as wrk_paths.lua does.
    """
    latencies: list[float] = []
    sent: dict[int, int] = {}
    errors: dict[str, int] = {}
    finished = [start_at]
    lock = threading.Lock()
    deadline = start_at + seconds

    def worker(number: int):
        local: list[float] = []
        local_errors: dict[str, int] = {}
        count = 0
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.time() < start_at:
            time.sleep(0.001)
        while True:
            began = time.perf_counter()
            if time.time() >= deadline:
                break
            target = path
            if walk:
                paths, offset, first, stride = walk
                target = paths[(offset + first + number + count * stride) % len(paths)]
            count += 1
            try:
                connection.request("GET", target, headers={"Cookie": cookie} if cookie else {})
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
            sent[number] = count
            latencies.extend(local)
            for key, value in local_errors.items():
                errors[key] = errors.get(key, 0) + value

    pool = [threading.Thread(target=worker, args=(number,)) for number in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors, max(finished), walk[2] if walk else 0, [sent[n] for n in range(threads)]))


def run_python(
    port: int, path: str, *, seconds: float, concurrency: int, cookie: str = "", paths: PathList | None = None
) -> dict:
    """Fallback load generator: processes (one per core) of threads with http.client, for a fixed time."""
    processes = max(1, min(concurrency, os.cpu_count() or 1))
    shares = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.3
    listed = paths.file.read_text().split() if paths else []
    firsts = [sum(shares[:i]) for i in range(processes)]
    children = [
        context.Process(
            target=_python_client_process,
            args=(port, path, share, start_at, seconds, queue, cookie),
            kwargs={"walk": (listed, paths.offset, first, concurrency) if paths else None},
        )
        for share, first in zip(shares, firsts, strict=True)
    ]
    for child in children:
        child.start()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ended = start_at + seconds
    sent_by_first: dict[int, list[int]] = {}
    for _ in children:
        part, part_errors, part_ended, first, part_sent = queue.get(timeout=seconds + 60)
        sent_by_first[first] = part_sent
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
        "sent": [count for first in sorted(sent_by_first) for count in sent_by_first[first]],  # per thread
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
