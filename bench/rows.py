"""The rows of the benchmark table and the ablation table, from the raw measurements (what was
not measured stays n/a)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from bench.table import Row, format_value
from bench.traffic import EXPECTED_MEASURE, HOSTILE_SHARE, LONG_MESSAGE
from bench.training import PROJECT, STOCK

if TYPE_CHECKING:
    from bench.settings import Settings

SETS = {"dev": "Dev set (../shared/eval/dev_questions.yml)",
        "blind": "Blind own set (tests/evaluation/blind_questions.yml)",
        "own": "Older own set, no answer keys (tests/evaluation/questions.yml)"}
FIGURES = {"right_measure": "right measure", "out_of_scope": "out of scope declined",
           "follow_ups": "follow-ups: right measure", "answers": "answers the question (answer keys)"}
SERVING = ("served as in production: Procfile command lines, deploy/endpoints.production.yml (PostgreSQL "
           "tracker store in a fresh database, Redis lock store), nginx from deploy/nginx.conf.template")
CPU = "CPU time in % of one core during the load (2 cores in all)"


def get(data: Any, *path: str) -> Optional[float]:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else None


def reused(result: Dict[str, Any]) -> str:
    return (f"measured by the run of {result['reused_from']} and reused (inputs unchanged; --fresh measures "
            f"again)" if result.get("reused_from") else "")


def build_rows(raw: Dict[str, Any], settings: "Settings") -> List[Row]:
    p, s = raw.get(PROJECT, {}), raw.get(STOCK, {})
    rows: List[Row] = []

    def add(section: str, key: str, label: str, unit: str, path, note: str = "") -> None:
        rows.append(Row(section, key, label, unit, get(p, *path), get(s, *path), note))

    for name, title in SETS.items():
        sizes = (p.get("sets") or s.get("sets") or {}).get(name)
        section = (f"{title}: {sizes['questions']} questions, {sizes['conversation_turns']} conversation turns"
                   if sizes else f"{title}: not run")
        for figure, label in FIGURES.items():
            if name != "own" or figure in ("right_measure", "out_of_scope"):
                add(section, f"{name}.{figure}", label, "%", ("sets", name, figure, "pct"))

    cv = raw.get("cv", {})
    section = f"Cross-validation of the project's config.yml: rasa test nlu, {cv.get('folds', 5)} folds"
    note = "; ".join(x for x in ("held-out folds together; stock not run", reused(cv)) if x)
    rows += [Row(section, "cv.accuracy", "intent accuracy", "%", get(cv, "accuracy"), None, note),
             Row(section, "cv.f1", "intent F1 (weighted)", "%", get(cv, "f1"), None, note)]

    x = raw.get("xsid", {})
    scored = get(x, PROJECT, "n") or get(x, STOCK, "n")
    section = (f"External NLU: xSID nl, trained on nl.valid ({x.get('train_examples', '?')}), scored by rasa "
               f"test nlu on nl.test ({scored or '?'} distinct of {x.get('test_examples', '?')})")
    unseen = x.get("unseen_test_intents") or {}
    note = "; ".join(n for n in (
        "project = config.yml without the catalogue components; intents only",
        f"{sum(unseen.values())} test utterances have an intent absent from training" if unseen else "",
        reused(x)) if n)
    for key, label, unit in (("accuracy", "intent accuracy", "%"), ("f1", "intent F1 (weighted)", "%"),
                             ("train_seconds", "NLU training time", "s")):
        rows.append(Row(section, f"xsid.{key}", label, unit, get(x, PROJECT, key), get(x, STOCK, key), note))

    section = (f"Latency, one after another: {settings.latency_count} rounds after {settings.warmup} warm-up "
               f"(catalogue question opens a conversation, follow-up is its 2nd turn, 'hallo' opens another)")
    for scenario, label in (("catalogue", "catalogue question"), ("followup", "follow-up"),
                            ("plain", "'hallo'")):
        for q in ("p50", "p95"):
            add(section, f"latency.{scenario}.{q}", f"{label} {q}", "ms", ("sequential", "summary", scenario, q),
                SERVING)
    add(section, "latency.catalogue.intended", f"catalogue question answered with {EXPECTED_MEASURE}", "%",
        ("sequential", "intended", "catalogue"))
    add(section, "latency.followup.intended", "follow-up answered with who qualifies", "%",
        ("sequential", "intended", "followup"))

    section = "Hostile input, one Rasa server"
    add(section, "hostile.question", "question, median", "ms", ("hostile", "latency", "normal", "p50"))
    add(section, "hostile.long", f"{LONG_MESSAGE} characters of random words, median", "ms",
        ("hostile", "latency", "long", "p50"))
    add(section, "hostile.ratio", "long message / question (goal <= 3)", "x", ("hostile", "latency", "ratio"))
    share = f"{HOSTILE_SHARE * 100:.0f} % hostile"
    add(section, "hostile.mixed.throughput", f"{settings.users} users, {share}: throughput", "msg/s",
        ("hostile", "mixed_load", "throughput"))
    add(section, "hostile.mixed.p95", f"{settings.users} users, {share}: latency p95", "ms",
        ("hostile", "mixed_load", "p95"))
    add(section, "hostile.mixed.errors", f"{settings.users} users, {share}: errors", "count",
        ("hostile", "mixed_load", "errors"))
    flood = f"{settings.hostile_messages:,} hostile messages"
    add(section, "hostile.rss.before", f"Rasa server before {flood}", "MB", ("hostile", "memory", "before_mb"))
    add(section, "hostile.rss.after", f"Rasa server after {flood}", "MB", ("hostile", "memory", "after_mb"))
    add(section, "hostile.rss.growth", "memory growth (goal < 3 %)", "%", ("hostile", "memory", "growth_pct"),
        "random words, random unicode and 1000-character strings, 20 users")

    section = (f"Load: {settings.users} concurrent users, {settings.load_seconds:.0f} s each "
               f"(3-message conversations, one action server)")
    for key, label in (("load_1", "1 Rasa server"), ("load_2", "2 Rasa servers + nginx")):
        add(section, f"{key}.throughput", f"{label}: throughput", "msg/s", (key, "throughput"), SERVING)
        for q in ("p50", "p95"):
            add(section, f"{key}.{q}", f"{label}: latency {q}", "ms", (key, q), SERVING)
        add(section, f"{key}.errors", f"{label}: errors", "count", (key, "errors"), SERVING)
        add(section, f"{key}.cpu.actions", f"{label}: action server CPU", "%", (key, "cpu_percent", "actions"), CPU)
        add(section, f"{key}.cpu.rasa", f"{label}: Rasa server CPU (first)", "%", (key, "cpu_percent", "rasa"), CPU)

    section = "Memory (resident, process and children)"
    for process, label in (("rasa", "Rasa server"), ("actions", "action server")):
        add(section, f"rss.{process}.start", f"{label} after start", "MB", ("rss_after_start_mb", process))
        add(section, f"rss.{process}.load", f"{label} after load", "MB", ("rss_after_load_mb", process))

    section = "Start-up"
    add(section, "startup.rasa", "Rasa server: process start -> first answer", "s", ("rasa_first_answer_s",))
    add(section, "startup.actions", "action server: process start -> /health", "s", ("actions_start_s",))

    section = "Training (rasa train on a copy of the data, empty cache)"
    note = reused(p.get("training") or s.get("training") or {})
    add(section, "train.fresh", "full training", "s", ("training", "fresh_seconds"), note)
    add(section, "train.retrain", "retraining after one added NLU example", "s", ("training", "retrain_seconds"), note)
    add(section, "train.peak_rss", "training peak resident memory", "MB", ("training", "fresh_peak_rss_mb"), note)
    add(section, "train.model_size", "model size (tar.gz)", "MB", ("training", "model_mb"), note)
    return rows


def ablation(raw: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One line per variant of the answer path: all layers on, each layer off, and the stock
    config; each with the dev and blind set's figures (pct) and the difference with all on."""
    project, stock = raw.get(PROJECT, {}), raw.get(STOCK, {})
    if not project.get("ablation"):
        return []
    sets = ("dev", "blind")

    def figures(source: Dict[str, Any]) -> Dict[str, Dict[str, Optional[float]]]:
        return {name: {f: get(source, name, f, "pct") for f in FIGURES} for name in sets}

    base = figures(project.get("sets", {}))
    lines = [{"layer off": "none (all on)", **base}]
    for layer, scores in project["ablation"].items():
        lines.append({"layer off": layer, **figures(scores)})
    lines.append({"layer off": "stock config, all on", **figures(stock.get("sets", {}))})
    for line in lines[1:]:
        line["difference"] = {name: {f: None if line[name][f] is None or base[name][f] is None
                                     else line[name][f] - base[name][f] for f in FIGURES} for name in sets}
    return lines


def render_ablation(lines: List[Dict[str, Any]]) -> str:
    if not lines:
        return ""
    short = {"right_measure": "measure", "out_of_scope": "declined", "follow_ups": "follow-ups",
             "answers": "answers"}
    cell = 15
    head = f"{'layer off':<22}" + "".join(f"{short[f]:>{cell}}" for f in FIGURES) * 2
    groups = f"{'':<22}" + f"{'dev set':>{4 * cell}}" + f"{'blind own set':>{4 * cell}}"
    out = ["Ablation: the project's model with one layer of bot/dialogue/plan.py off (BOT_ABLATE=<layer>, "
           "action server restarted); % and the difference with all layers on", "=" * len(head), groups,
           head, "-" * len(head)]
    for line in lines:
        cells = []
        for name in ("dev", "blind"):
            for f in FIGURES:
                value, delta = line[name][f], (line.get("difference") or {}).get(name, {}).get(f)
                cells.append(format_value(value) + ("" if delta is None else f" ({delta:+.1f})"))
        out.append(f"{line['layer off']:<22}" + "".join(f"{c:>{cell}}" for c in cells))
    return "\n".join(out + ["-" * len(head)])
