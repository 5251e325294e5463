"""Hand-written lm-eval output folders (results and samples files), for the reader tests."""

from __future__ import annotations

import json
import math

#: The timestamp in the file names lm-eval writes.
DATE = "2026-01-01T00-00-00.000001"


def sample_record(doc_id, doc, filtered):
    """One line of an lm-eval samples file."""
    return {"doc_id": doc_id, "doc": doc, "target": "", "filtered_resps": filtered,
            "resps": [[r] for r in filtered], "filter": "none", "arguments": {}}


def write_run(root, model, tasks):
    """tasks: name -> (output_type, [(doc, filtered_resps), ...]) as lm-eval would log them."""
    run = root / model.replace("/", "__")
    run.mkdir(parents=True)
    configs = {name: {"output_type": otype} for name, (otype, _) in tasks.items()}
    results = {"results": {name: {"alias": name} for name in tasks},
               "groups": {"pinocchio_mc": {"pi_self,none": 0.5, "pi_self_stderr,none": "N/A"}},
               "configs": configs, "model_name": model, "date": 1767225600.0}
    (run / f"results_{DATE}.json").write_text(json.dumps(results))
    for name, (_, samples) in tasks.items():
        lines = [json.dumps(sample_record(n, doc, resp)) for n, (doc, resp) in enumerate(samples)]
        (run / f"samples_{name}_{DATE}.jsonl").write_text("\n".join(lines) + "\n")
    return run


def write_rerun(run, task="pinocchio_neutral", old='["1"]', new='["4"]'):
    """The same task run again into the same folder a month later, as lm-eval does, with the
    answers ``old`` given as ``new``."""
    later = "2026-02-01T00-00-00.000001"
    res = json.loads((run / f"results_{DATE}.json").read_text())
    res["date"] = res["date"] + 86400 * 31
    (run / f"results_{later}.json").write_text(json.dumps(res))
    text = (run / f"samples_{task}_{DATE}.jsonl").read_text()
    (run / f"samples_{task}_{later}.jsonl").write_text(text.replace(old, new))


def ll(*probs):
    """lm-eval's loglikelihood responses for these probabilities (none greedy)."""
    return [[str(math.log(p)), "False"] for p in probs]
