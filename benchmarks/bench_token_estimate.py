"""How good is ``replicate --dry-run``'s input-token estimate (characters / 4)?

Renders the battery exactly as the run would send it and counts its tokens with the one real
tokenizer available offline: the embedded Gemma 3 GGUF's (262k-token SentencePiece vocabulary,
loaded vocabulary-only through llama-cpp-python). Prints characters per token and how far the
estimate is from the tokenizer's count. Needs the ``local`` extra.

Run: python benchmarks/bench_token_estimate.py [--questionnaires all] [--text source]
"""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> int:
    import llama_cpp

    from pinocchio_eval.commands.replicate import CHARS_PER_TOKEN, estimate_tokens
    from pinocchio_eval.inspect_task.task import build_samples
    from pinocchio_eval.local_server import gguf_path

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questionnaires", default=None)
    ap.add_argument("--text", default="corrected", choices=["corrected", "source"])
    args = ap.parse_args(argv)

    prompts = [str(s.input) for s in build_samples(None, args.questionnaires, args.text)]
    vocab = llama_cpp.Llama(str(gguf_path()), vocab_only=True, verbose=False)
    real = sum(len(vocab.tokenize(p.encode("utf-8"), add_bos=False)) for p in prompts)
    chars = sum(len(p) for p in prompts)
    estimate = sum(estimate_tokens(p) for p in prompts)
    print(f"prompts (one model, three conditions)   {len(prompts):>12,}")
    print(f"characters                               {chars:>12,}")
    print(f"Gemma 3 tokenizer tokens                 {real:>12,}")
    print(f"characters per token (Gemma 3)           {chars / real:>12.2f}")
    print(f"estimate (characters / {CHARS_PER_TOKEN:g})               {estimate:>12,}")
    print(f"estimate vs tokenizer                    {100 * (estimate / real - 1):>+11.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
