"""Regenerate ``leaderboards/gemma/``: the embedded Gemma 3 270M measured three ways.

1. Inspect, generative (``pinocchio-eval run-local``: completions endpoint, parsed answers);
2. lm-eval, generative (``pinocchio_pi_self``: neutral + human_simulation, parsed answers);
3. lm-eval, log-likelihood (``pinocchio_mc_pi_self``: probability of every scale value).

All three on the same questionnaires (default: the six of ``run-local -q quick``; pass
``--questionnaires`` for others), then one ``pinocchio-eval leaderboard build`` over the three
outputs. Usage, from the repository root with the package installed::

    python scripts/measure_gemma.py [--questionnaires LIST] [--work DIR] [--out leaderboards/gemma]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from pinocchio_eval.commands.run import QUICK_SUBSET
from pinocchio_eval.lmeval import lm_eval_path
from pinocchio_eval.lmeval.llama_server import logprob_server


def run(cmd: list[str], **kwargs) -> float:
    print("$", " ".join(cmd), flush=True)
    start = time.monotonic()
    subprocess.run(cmd, check=True, **kwargs)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", default=QUICK_SUBSET)
    parser.add_argument("--work", type=Path, default=Path("runs/gemma"))
    parser.add_argument("--out", type=Path, default=Path("leaderboards/gemma"))
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    timings = {}

    timings["inspect"] = run([str(bin_dir / "pinocchio-eval"), "run-local",
                              "--conditions", "neutral,human_simulation",
                              "-q", args.questionnaires, "--out", str(args.work / "inspect")])

    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    with logprob_server() as server:
        for task in ("pinocchio_pi_self", "pinocchio_mc_pi_self"):
            timings[task] = run([
                str(bin_dir / "lm_eval"), "--model", "gguf",
                "--model_args", f"base_url={server.root_url},model=gemma-3-270m",
                "--include_path", str(lm_eval_path()), "--tasks", task,
                "--metadata", json.dumps({"questionnaires": args.questionnaires}),
                "--output_path", str(args.work / "lm-eval"), "--log_samples"], env=env)

    run([str(bin_dir / "pinocchio-eval"), "leaderboard", "build", str(args.work),
         "--out", str(args.out), "--bootstrap", str(args.bootstrap), "--seed", "0",
         "--title", "Embedded Gemma 3 270M through Inspect and lm-eval"])
    print("wall time (s):", {k: round(v) for k, v in timings.items()})


if __name__ == "__main__":
    main()
