"""Regenerate ``leaderboards/gemma/``: the embedded Gemma 3 270M measured through both harnesses.

1. Inspect, probabilities (``pinocchio-eval run-local``: expected rating from the probability of
   each scale value at the answer position, in-process model);
2. Inspect, generated text (``run-local --reading text``: parsed answers, loopback server);
3. lm-eval, generative (``pinocchio_pi_self``: parsed answers) and
4. lm-eval, log-likelihood (``pinocchio_mc_pi_self``: probability of every scale value), both
   on ``--lmeval-questionnaires`` (default: the six of ``run-local -q quick``; lm-eval's
   log-likelihood route asks the server for logits at every prompt position, far slower).

Then one ``pinocchio-eval leaderboard build`` over all outputs, and the agreement of the two
probability readings (Inspect vs lm-eval log-likelihood) on the questionnaires both ran: Π_self
of each and the rank correlation of their per-item expected ratings. Usage, from the repository
root with the package installed::

    python scripts/measure_gemma.py [--questionnaires LIST] [--text-questionnaires LIST]
                                    [--lmeval-questionnaires LIST] [--work DIR] [--out DIR]

``--questionnaires`` defaults to the whole analysed battery (both Inspect rows); ``--reuse``
skips every step whose output folder already exists in ``--work`` (to resume).
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


def agreement(work: Path) -> dict[str, float]:
    """Inspect probability reading vs lm-eval log-likelihood on the items both measured."""
    from pinocchio_eval.inspect_task.reader import read_inspect_logs
    from pinocchio_eval.lmeval.reader import read_lm_eval
    from pinocchio_eval.scoring.selfanchored import pi_self

    key = ["condition", "questionnaire", "item_index"]
    ins = read_inspect_logs(work / "inspect-probabilities")
    mc = read_lm_eval(work / "lm-eval", variant="loglikelihood")
    ins = ins[ins["questionnaire"].isin(set(mc["questionnaire"]))]
    both = ins.set_index(key)["response"].to_frame("inspect").join(
        mc.set_index(key)["response"].rename("lmeval"), how="inner")
    return {"items": len(both),
            "spearman": float(both["inspect"].rank().corr(both["lmeval"].rank())),
            "max_abs_diff": float((both["inspect"] - both["lmeval"]).abs().max()),
            "pi_self_inspect": float(pi_self(ins)["pi_self"].iloc[0]),
            "pi_self_lmeval": float(pi_self(mc)["pi_self"].iloc[0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", default=None,
                        help="Inspect rows (default: the analysed battery)")
    parser.add_argument("--text-questionnaires", default=None,
                        help="Inspect generated-text row, if not the same as --questionnaires")
    parser.add_argument("--lmeval-questionnaires", default=QUICK_SUBSET)
    parser.add_argument("--work", type=Path, default=Path("runs/gemma"))
    parser.add_argument("--out", type=Path, default=Path("leaderboards/gemma"))
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--title", default="Embedded Gemma 3 270M through Inspect and lm-eval")
    parser.add_argument("--reuse", action="store_true",
                        help="skip steps whose output folder already exists in --work")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    cli = str(bin_dir / "pinocchio-eval")
    timings = {}

    def select(spec: str | None) -> list[str]:
        return ["-q", spec] if spec else []

    def todo(folder: str) -> bool:
        return not (args.reuse and (args.work / folder).exists())

    if todo("inspect-probabilities"):
        timings["inspect probabilities"] = run([
            cli, "run-local", *select(args.questionnaires),
            "--out", str(args.work / "inspect-probabilities")])
    if todo("inspect-text"):
        timings["inspect text"] = run([
            cli, "run-local", "--reading", "text",
            *select(args.text_questionnaires or args.questionnaires),
            "--out", str(args.work / "inspect-text")])
    if todo("lm-eval"):
        env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
        with logprob_server() as server:
            for task in ("pinocchio_pi_self", "pinocchio_mc_pi_self"):
                timings[task] = run([
                    str(bin_dir / "lm_eval"), "--model", "gguf",
                    "--model_args", f"base_url={server.root_url},model=gemma-3-270m",
                    "--include_path", str(lm_eval_path()), "--tasks", task,
                    "--metadata", json.dumps({"questionnaires": args.lmeval_questionnaires}),
                    "--output_path", str(args.work / "lm-eval"), "--log_samples"], env=env)

    run([cli, "leaderboard", "build", str(args.work), "--out", str(args.out),
         "--bootstrap", str(args.bootstrap), "--seed", "0", "--title", args.title])
    print("wall time (s):", {k: round(v) for k, v in timings.items()})
    print("probability readings, Inspect vs lm-eval log-likelihood:",
          {k: round(v, 4) for k, v in agreement(args.work).items()})


if __name__ == "__main__":
    main()
