"""Benchmark of the language analyzer (stage 3) on the default blank spaCy pipeline.

    python bench/bench_language.py [--count 1000] [--words 600] [--runs 3]

Targets (issue 5): language analysis of 1,000 resumes of about 600 words runs at no less than a
third of the speed of bare spaCy tokenization of the same texts, measured in the same run
(overhead ratio <= 3); building the pipeline and compiling all patterns takes <= 1 s. The build
is timed in a fresh process (it includes importing spaCy, which a long-running process pays
once); both throughput figures are the median of ``--runs`` passes over the same texts, with
the analysis pass going through ``LanguageAnalyzer.analyze`` per application, as screening
does. All texts are synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VERBS = (
    "Built Designed Led Implemented Migrated Optimised Automated Delivered Maintained Refactored "
    "Introduced Owned Mentored Scaled Shipped Profiled Documented Reviewed Modernised Secured"
).split()
OBJECTS = [
    "a payments API", "the data pipeline", "customer-facing dashboards", "an internal CLI",
    "the CI/CD workflow", "a recommendation service", "the billing platform", "search indexing",
    "mobile onboarding flows", "observability tooling", "a feature-flag system", "the auth layer",
    "event sourcing for orders", "the reporting warehouse", "a rate limiter", "the GraphQL gateway",
]  # fmt: skip
TECH = (
    "Python Go Rust Kubernetes Docker Terraform React TypeScript PostgreSQL Kafka Redis AWS GCP "
    "Django Flask Node.js GraphQL Spark Airflow Snowflake Java Kotlin Swift Elasticsearch"
).split()
RESULTS = [
    "reducing p99 latency by {n}%", "cutting cloud costs by ${n}k a year",
    "serving {n} million requests per day", "for {n} enterprise customers",
    "with a team of {n} engineers", "raising test coverage to {n}%",
    "and cut incident volume by {n}% quarter over quarter",
]  # fmt: skip
EMPLOYERS = ["Example Corp", "Brightwave Digital", "Quantix Apps", "Nova Labs", "Acme Systems"]


def resume(i: int, words: int, rng: random.Random) -> str:
    """One synthetic resume of about ``words`` words."""
    lines = [
        f"Candidate {i}",
        f"Location: Austin, TX | candidate{i}@example.com",
        f"Summary: engineer with {rng.randint(3, 15)} years of experience building "
        f"distributed systems with {rng.choice(TECH)} and {rng.choice(TECH)}.",
    ]
    count = sum(len(line.split()) for line in lines)
    while count < words:
        if rng.random() < 0.08:
            line = (
                f"{rng.choice(EMPLOYERS)} | Software Engineer | 20{rng.randint(10, 19)} - "
                f"20{rng.randint(20, 25)}"
            )
        else:
            result = rng.choice(RESULTS).format(n=rng.randint(2, 90))
            line = (
                f"- {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {rng.choice(TECH)} and "
                f"{rng.choice(TECH)}, {result}."
            )
        lines.append(line)
        count += len(line.split())
    return "\n".join(lines)


def build_in_fresh_process() -> dict[str, float]:
    """Import, pipeline build and pattern compilation, timed in a new interpreter."""
    code = (
        "import json, time\n"
        "t0 = time.perf_counter()\n"
        "from screening.analyze.language import LanguageAnalyzer, LanguageOptions\n"
        "from screening.evaluate import load_patterns\n"
        "from screening.resources import rules_dir\n"
        "t1 = time.perf_counter()\n"
        "a = LanguageAnalyzer(LanguageOptions(), patterns=load_patterns([rules_dir()]))\n"
        "t2 = time.perf_counter()\n"
        "import spacy\n"
        "t3 = time.perf_counter()\n"
        "a.manager.get()\n"
        "t4 = time.perf_counter()\n"
        "print(json.dumps({'read_patterns': t2 - t1, 'import_spacy': t3 - t2,"
        " 'build_and_compile': t4 - t3, 'patterns': len(a.patterns.patterns)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    builds = [build_in_fresh_process() for _ in range(args.runs)]
    build = {key: statistics.median(b[key] for b in builds) for key in builds[0]}

    import spacy

    from screening.analyze.base import AnalysisContext
    from screening.analyze.language import LanguageAnalyzer, LanguageOptions
    from screening.evaluate import load_patterns
    from screening.ingest import from_mapping
    from screening.model.application import DocumentContent, RawApplication
    from screening.normalize import normalize
    from screening.resources import rules_dir
    from screening.testing import FixedClock

    rng = random.Random(20261124)
    texts = [resume(i, args.words, rng) for i in range(args.count)]
    data = from_mapping({"name": "Jordan Avery", "location": {"country": "US"}}, "bench").data
    apps = [
        normalize(
            RawApplication(
                data=data,
                documents=(DocumentContent(kind="resume", format="txt", text=t),),
                origin="bench",
            )
        )
        for t in texts
    ]
    analyzer = LanguageAnalyzer(LanguageOptions(), patterns=load_patterns([rules_dir()]))
    ctx = AnalysisContext(clock=FixedClock(), offline=True)
    tokenizer = spacy.blank("en")
    analyzer.analyze(apps[0], ctx)  # build outside the timed passes
    list(tokenizer.tokenizer.pipe(texts[:10]))

    bare: list[float] = []
    analysis: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in tokenizer.tokenizer.pipe(texts))
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        for app in apps:
            analyzer.analyze(app, ctx)
        analysis.append(time.perf_counter() - start)
    t_bare, t_analysis = statistics.median(bare), statistics.median(analysis)
    words = sum(len(t.split()) for t in texts) / len(texts)
    version = sys.version.split()[0]
    print(f"machine: {os.cpu_count()} CPU(s), Python {version}, spaCy {spacy.__version__}")
    print(f"texts: {len(texts)} resumes, {words:.0f} words, {tokens / len(texts):.0f} tokens each")
    compile_s, import_s = build["build_and_compile"], build["import_spacy"]
    print(
        f"build (median of {args.runs} fresh processes): blank pipeline + compiling "
        f"{build['patterns']:.0f} patterns and the technology table {compile_s:.3f} s "
        f"(target <= 1 s: {'ok' if compile_s <= 1 else 'OVER TARGET'}); importing spaCy "
        f"first {import_s:.3f} s, together {compile_s + import_s:.3f} s; reading the pattern "
        f"files at engine build {build['read_patterns']:.3f} s"
    )
    print(f"bare tokenization: {t_bare:.3f} s ({len(texts) / t_bare:.0f} texts/s), runs {bare}")
    print(
        f"language analysis: {t_analysis:.3f} s ({len(texts) / t_analysis:.0f} texts/s), "
        f"runs {analysis}"
    )
    ratio = t_analysis / t_bare
    print(f"overhead ratio: {ratio:.2f} (target <= 3: {'ok' if ratio <= 3 else 'OVER TARGET'})")


if __name__ == "__main__":
    main()
