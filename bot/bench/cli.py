"""`python -m bot bench [--quick]` and `python -m bot bench profile`."""
from __future__ import annotations

import sys
from pathlib import Path

from bot.settings import REPO_ROOT


def register(subparsers) -> None:
    bench = subparsers.add_parser(
        "bench", help="benchmark the bot against a stock Rasa configuration (var/bench/results.json)")
    bench.add_argument("what", nargs="?", choices=["all", "profile"], default="all",
                       help="all (default): the comparison table; profile: where time and memory go "
                            "in the project's Rasa server (var/bench/profile.txt)")
    bench.add_argument("--quick", action="store_true",
                       help="smoke test (numbers not comparable): 20 rounds of messages, 5 s loads, every "
                            "5th question, no retraining measurement, xSID only when an earlier result "
                            "can be reused")
    bench.add_argument("--out", type=Path, default=REPO_ROOT / "var" / "bench", help="output folder")
    bench.add_argument("--repeat", type=int, default=1,
                       help="sequential-latency and load runs per server; the table shows medians")
    bench.add_argument("--fresh", action="store_true",
                       help="train and run the xSID check again even when config.yml, the stock config, "
                            "domain, data and bot/nlu are unchanged since the run that measured them "
                            "(by default those numbers and models are reused from var/bench/)")
    bench.add_argument("--reuse-stale", action="store_true",
                       help="reuse var/bench/models and xSID results even if config or data changed since "
                            "(quick re-measurement of serving numbers; the table marks them STALE)")
    bench.add_argument("--no-retrain", action="store_true",
                       help="skip the retraining measurement when training is needed")
    bench.add_argument("--no-xsid", action="store_true", help="skip the external xSID NLU check")
    bench.add_argument("--no-two-servers", action="store_true", help="skip the nginx + two-server load test")
    bench.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder (logs, models)")
    bench.set_defaults(func=_bench)


def _bench(args) -> int:
    from bot.bench.run import Bench, Settings

    if args.what == "profile":
        from bot.bench.profile import run_profile

        return run_profile(args.out, quick=args.quick)
    overrides = {"out_dir": args.out, "repeat": max(1, args.repeat), "keep_tmp": args.keep_tmp}
    if args.no_xsid:
        overrides["xsid"] = False
    if args.no_two_servers:
        overrides["two_servers"] = False
    if args.fresh:
        overrides["fresh"] = True
    if args.reuse_stale:
        overrides["reuse_stale"] = True
    if args.no_retrain:
        overrides["retrain"] = False
    settings = Settings.quick_settings(**overrides) if args.quick else Settings(**overrides)
    bench = Bench(settings)
    rows = bench.run()
    table = bench.write(rows)
    print(table)
    print(f"\nJSON: {settings.out_dir / 'results.json'}")
    if bench.meta["errors"]:
        print("\nFailed phases (see meta.errors in the JSON):", file=sys.stderr)
        for error in bench.meta["errors"]:
            print(f"  {error['phase']}: {error['error'][:300]}", file=sys.stderr)
        return 1
    return 0
