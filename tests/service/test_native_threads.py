"""RENCAI_NATIVE_THREADS reaches every native maths library of a server process: those
loaded before the limit (through threadpoolctl) and after it (through the environment),
in `rencai serve`'s own process and in the workers it starts. Each case runs in a
subprocess, since the limit holds for the whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

REPORT = """
from threadpoolctl import threadpool_info
import json, os
print(json.dumps({
    "threads": sorted({(i["internal_api"], i["num_threads"]) for i in threadpool_info()}),
    "env": os.environ.get("OPENBLAS_NUM_THREADS"),
}))
"""


def _run(code: str, tmp_path: Path, **env: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code) + REPORT],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")},
            "PYTHONPATH": str(REPO),
            "RENCAI_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def _apis(report: dict[str, object]) -> set[str]:
    return {api for api, _ in report["threads"]}  # type: ignore[attr-defined]


def test_libraries_loaded_before_and_after_the_limit_get_one_thread(tmp_path: Path) -> None:
    report = _run(
        """
        import numpy
        from service.native_threads import limit_native_threads
        limit_native_threads(1)
        import faiss  # loaded after the limit: reads the environment
        """,
        tmp_path,
    )
    assert {"openblas", "openmp"} <= _apis(report)
    assert {n for _, n in report["threads"]} == {1}  # type: ignore[attr-defined]
    assert report["env"] == "1"


def test_zero_leaves_the_libraries_alone(tmp_path: Path) -> None:
    report = _run(
        """
        from service.native_threads import limit_native_threads
        limit_native_threads(0)
        import faiss
        """,
        tmp_path,
    )
    assert report["env"] is None
    if (os.cpu_count() or 1) > 1:  # one thread per core, as the libraries choose
        assert max(n for _, n in report["threads"]) > 1  # type: ignore[attr-defined]


def test_serve_limits_its_process_and_its_workers(tmp_path: Path) -> None:
    # uvicorn.run is replaced by one that loads what a worker loads and reports it.
    report = _run(
        """
        import uvicorn
        def run(app, **options):
            if options.get("factory"):
                from service.app import app_from_environment
                app_from_environment()
            import faiss
        uvicorn.run = run
        from service.cli.server import serve
        serve(host="127.0.0.1", port=1, workers=2)
        """,
        tmp_path,
        RENCAI_NATIVE_THREADS="1",
        RENCAI_WARM_ENGINE_ON_START="false",
    )
    assert {"openblas", "openmp"} <= _apis(report)
    assert {n for _, n in report["threads"]} == {1}  # type: ignore[attr-defined]
    assert report["env"] == "1"
