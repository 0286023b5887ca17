"""One table of every benchmark in the JSON files scripts/run-benchmarks.sh wrote: the median of
the repetitions, its coefficient of variation, and the items or bytes per second when reported.

    python3 bench/benchmark_table.py bench-results/*.json
"""
import json
import sys


def unit_scale(unit):
    return {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def rows(path):
    with open(path) as file:
        text = file.read()
    if not text.strip():  # a program whose benchmarks were all filtered out
        return
    report = json.loads(text)
    program = path.rsplit("/", 1)[-1].removesuffix(".json")
    by_name = {}
    for b in report["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        entry = by_name.setdefault(b["run_name"], {})
        entry[b["aggregate_name"]] = b
    for name, aggregates in by_name.items():
        median = aggregates.get("median") or aggregates.get("mean")
        if median is None:
            continue
        ms = median["real_time"] * unit_scale(median["time_unit"])
        cv = aggregates.get("cv", {}).get("real_time")
        rate = median.get("items_per_second") or median.get("bytes_per_second")
        yield program, name, ms, cv, rate


def main(paths):
    if not paths:
        sys.exit("usage: benchmark_table.py RESULT.json...")
    print("| program | benchmark | median ms | cv | per second |")
    print("|---|---|---|---|---|")
    for path in paths:
        for program, name, ms, cv, rate in rows(path):
            cv_text = f"{100 * cv:.1f} %" if cv is not None else ""
            rate_text = f"{rate:.4g}" if rate else ""
            print(f"| {program} | {name} | {ms:.3f} | {cv_text} | {rate_text} |")


if __name__ == "__main__":
    main(sys.argv[1:])
