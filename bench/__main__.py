"""`python -m bench [--quick] [--fresh] [--skip STEP,...] [--variants project,stock]` (what `make bench` runs)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from bench.run import Bench
from bench.settings import STEPS, Settings
from bench.training import VARIANTS


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(
        "The project's bot against a stock Rasa configuration on the same data; the table goes "
        "to var/bench/results.txt and results.json."))
    parser.add_argument("--quick", action="store_true", help=(
        "smoke run (numbers not comparable): short loads, every 5th question, 300 hostile messages, "
        "no retraining; xSID and cross-validation only when an earlier result fits"))
    parser.add_argument("--fresh", action="store_true", help=(
        "train and run xSID and cross-validation again even when config, domain, data and bot/nlu "
        "are unchanged since the run that measured them"))
    parser.add_argument("--skip", default="", help=f"leave out steps, comma-separated: {', '.join(STEPS)}")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=(
        f"configurations to train and serve, comma-separated: {', '.join(VARIANTS)} (the other's "
        "column stays n/a; the xSID check always trains both, skip it with --skip xsid)"))
    parser.add_argument("--out", type=Path, default=Settings.out_dir, help="output folder (default var/bench)")
    args = parser.parse_args(argv)
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    if skip - set(STEPS):
        parser.error(f"unknown step(s) for --skip: {', '.join(sorted(skip - set(STEPS)))}")
    variants = tuple(v for v in VARIANTS if v in {v.strip() for v in args.variants.split(",")})
    if not variants:
        parser.error(f"--variants needs one of: {', '.join(VARIANTS)}")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    settings = Settings(fresh=args.fresh, skip=skip, variants=variants, out_dir=args.out)
    bench = Bench(settings.quick_run() if args.quick else settings)
    print(bench.run())
    print(f"\nJSON: {bench.settings.out_dir / 'results.json'}")
    for error in bench.meta["errors"]:
        print(f"FAILED {error['phase']}: {error['error'][:300]}", file=sys.stderr)
    return 1 if bench.meta["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
