"""Timed `rasa train` runs on temporary copies of the training data, with their own cache, so the
repository's models/ and .rasa/ are never touched."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bot.settings import REPO_ROOT

RASA = REPO_ROOT / ".venv" / "bin" / "rasa"
MB = 1024 * 1024


def quiet_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1",
            **(extra or {})}


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: Optional[float]
    returncode: int


def run_measured(args: Sequence[str], env: Dict[str, str], log: Path, timeout: float,
                 cwd: Path = REPO_ROOT) -> Measured:
    """Run a command to completion; wall time and the child's peak RSS (from wait4)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(list(args), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                seconds = time.monotonic() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                return Measured(seconds, usage.ru_maxrss * 1024 / MB, process.returncode)
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return Measured(time.monotonic() - start, None, -9)
            time.sleep(0.2)


@dataclass
class DataCopy:
    root: Path
    domain: Path
    nlu: Path
    rules: Path
    stories: Path

    @property
    def data_args(self) -> List[str]:
        return [str(self.nlu), str(self.rules), str(self.stories)]


def copy_training_data(target: Path, source: Path = REPO_ROOT) -> DataCopy:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data" / "nlu", target / "nlu")
    for name in ("rules.yml", "stories.yml"):
        shutil.copy2(source / "data" / name, target / name)
    shutil.copy2(source / "domain.yml", target / "domain.yml")
    return DataCopy(target, target / "domain.yml", target / "nlu", target / "rules.yml",
                    target / "stories.yml")


_EXAMPLE = re.compile(r"^(\s+)- (.+?)\s*$")


def append_example(nlu_file: Path, suffix: str = " alsjeblieft") -> str:
    """Append one example to the last `examples: |` block of an NLU file: a copy of that block's
    last example plus `suffix`, with the same indentation. Returns the added line."""
    text = nlu_file.read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    if not any(line.strip().startswith("examples:") for line in lines):
        raise ValueError(f"{nlu_file}: no examples block")
    match = _EXAMPLE.match(lines[-1]) if _ends_with_example(lines) else None
    if not match:
        raise ValueError(f"{nlu_file}: the file does not end with an example line")
    added = f"{match.group(1)}- {match.group(2)}{suffix}"
    nlu_file.write_text("\n".join(lines + [added]) + "\n", encoding="utf-8")
    return added


def _ends_with_example(lines: List[str]) -> bool:
    """The last line is a `- text` item inside an `examples: |` block (the nearest less-indented
    line above it is the `examples:` key)."""
    match = _EXAMPLE.match(lines[-1]) if lines else None
    if not match:
        return False
    indent = len(match.group(1))
    for line in reversed(lines[:-1]):
        if not line.strip():
            continue
        line_indent = len(line) - len(line.lstrip())
        if line_indent < indent:
            return line.strip().startswith("examples:")
    return False


@dataclass
class TrainResult:
    seconds: float
    peak_rss_mb: Optional[float]
    model: Optional[Path]
    returncode: int
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.model is not None and self.model.exists()

    @property
    def size_mb(self) -> Optional[float]:
        return self.model.stat().st_size / MB if self.ok else None


def train_full(config: Path, data: DataCopy, out_dir: Path, name: str, cache_dir: Path,
               log: Path, timeout: float = 1800, env: Optional[Dict[str, str]] = None) -> TrainResult:
    args = [str(RASA), "train", "--config", str(config), "--domain", str(data.domain),
            "--data", *data.data_args, "--out", str(out_dir), "--fixed-model-name", name]
    return _train(args, out_dir / f"{name}.tar.gz", cache_dir, log, timeout, env)


def train_nlu(config: Path, nlu: Path, out_dir: Path, name: str, cache_dir: Path, log: Path,
              timeout: float = 1800, env: Optional[Dict[str, str]] = None) -> TrainResult:
    args = [str(RASA), "train", "nlu", "--config", str(config), "--nlu", str(nlu),
            "--out", str(out_dir), "--fixed-model-name", name]
    return _train(args, out_dir / f"{name}.tar.gz", cache_dir, log, timeout, env)


def _train(args: List[str], model: Path, cache_dir: Path, log: Path, timeout: float,
           env: Optional[Dict[str, str]]) -> TrainResult:
    cache_dir.mkdir(parents=True, exist_ok=True)
    if model.exists():
        model.unlink()
    measured = run_measured(args, quiet_env({"RASA_CACHE_DIRECTORY": str(cache_dir), **(env or {})}),
                            log, timeout)
    return TrainResult(measured.seconds, measured.peak_rss_mb, model if model.exists() else None,
                       measured.returncode, log)


def tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def pick_nlu_file(nlu_dir: Path) -> Path:
    """The NLU file that gets the one-line change: the first (sorted) that ends with an example."""
    for path in sorted(nlu_dir.glob("*.yml")):
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        if _ends_with_example(lines):
            return path
    raise FileNotFoundError(f"no NLU file in {nlu_dir} ends with an example line")


def example_count(nlu_file: Path) -> Tuple[int, int]:
    """(intents, examples) in a Rasa NLU YAML file."""
    import yaml

    data = yaml.safe_load(nlu_file.read_text(encoding="utf-8")) or {}
    intents = [item for item in data.get("nlu", []) if "intent" in item]
    examples = sum(len([l for l in str(i.get("examples", "")).splitlines() if l.strip().startswith("- ")])
                   for i in intents)
    return len(intents), examples
