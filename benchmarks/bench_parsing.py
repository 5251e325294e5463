"""Benchmark the answer parser on pathological answers (target: each under 50 ms).

Each case is about 40,000 repetitions of something that once made a regular expression rescan
the text from every line or tag (quadratic time), 1 MB of text, or an answer just under the
length a rating is read from (parsing.MAX_ANSWER_CHARS), which is the most real work one
answer can cost. The figure printed is the best of --repeat runs, with the parse status, on the
BFI-2 scale (labels included) and on the 0..10 CMQ scale.

Run: PYTHONPATH=src python benchmarks/bench_parsing.py [--repeat 3] [--target-ms 50]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable


def cases() -> dict[str, str]:
    from pinocchio_eval.parsing import MAX_ANSWER_CHARS

    prose = ("I have thought about this statement for a while, and while some days are "
             "different from others, on the whole it agrees with me fairly well. ")

    def fill(unit: str, size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    cap = MAX_ANSWER_CHARS
    return {
        "40k blank lines then 4": "\n" * 40_000 + "4",
        "4 then 40k blank lines": "4" + "\n" * 40_000,
        "a line, 40k blank lines, 4": "I think\n" + "\n" * 40_000 + "4",
        "a word, 1 MB of spaces, 4": "Maybe" + " " * 1_000_000 + "4",
        "1 MB of space-newline pairs": " \n" * 500_000,
        "40k '<think>' tags": "<think>" * 40_000,
        "40k '</think>' tags then 4": "</think>" * 40_000 + "4",
        "40k '<think>x</think>' blocks then 4": "<think>x</think>" * 40_000 + "4",
        "1 MB of prose": fill(prose, 1_000_000),
        "1 MB reasoning block then 4": "<think>" + fill(prose, 1_000_000) + "</think>4",
        "1 MB of digits": "7" * 1_000_000,
        # answers just under the length limit are read in full: the slowest real work
        f"{cap // 1000}k chars of prose": fill(prose, cap - 20),
        f"{cap // 1000}k chars of prose, 'Final answer: 4'":
            fill(prose, cap - 20) + "Final answer: 4",
        f"{cap // 1000}k chars of '1 =' lines": fill("1 =\n", cap),
        f"{cap // 1000}k chars of spaces, 4 ... out of 6": "4" + " " * (cap - 10) + "out of 6",
        f"{cap // 1000}k chars of 'not ' then agree": fill("not ", cap - 10) + "agree",
        f"{cap // 1000}k chars of 'actually, '": fill("actually, ", cap),
        f"{cap // 1000}k chars of 'agree '": fill("agree ", cap),
        f"{cap // 1000}k chars of '1 - Agree' lines": fill("1 - Agree\n", cap),
        f"{cap // 1000}k chars of '4 '": fill("4 ", cap),
        f"{cap // 1000}k chars of '-'": fill("-", cap),
        f"{cap // 1000}k chars of '\u2212 4 '": fill("\u2212 4 ", cap),
    }


def best_ms(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def main(argv: list[str] | None = None) -> int:
    from pinocchio_eval.battery import get_battery
    from pinocchio_eval.parsing import parse_answer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per case; the best is shown")
    ap.add_argument("--target-ms", type=float, default=50.0)
    args = ap.parse_args(argv)

    battery = get_battery()
    scales = {q: battery.get(q).scales["default"] for q in ("BFI-2", "cmq")}
    for scale in scales.values():  # build the label index outside the timings
        parse_answer("", scale)
    worst = 0.0
    print(f"{'case':<40s}{'scale':>8s}{'chars':>10s}{'ms':>9s}  status")
    for name, text in cases().items():
        for qname, scale in scales.items():
            ms = best_ms(lambda t=text, s=scale: parse_answer(t, s), args.repeat)
            worst = max(worst, ms)
            status = parse_answer(text, scale).status
            print(f"{name:<40s}{qname:>8s}{len(text):>10d}{ms:>9.1f}  {status}", flush=True)
    verdict = "within" if worst < args.target_ms else "OVER"
    print(f"slowest case: {worst:.1f} ms ({verdict} the {args.target_ms:g} ms target)")
    return 0 if worst < args.target_ms else 1


if __name__ == "__main__":
    sys.exit(main())
