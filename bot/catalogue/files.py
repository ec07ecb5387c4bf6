"""Reading the catalogue files: YAML with line numbers, binary/encoding checks, checksums."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import yaml

SCHEMA_VERSION = "2"  # part of the checksum: bump when the loader's output changes


@dataclass(frozen=True)
class Issue:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.entry, self.field, self.message) if part)


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, rel: str) -> tuple[Optional[dict], list[Issue], bytes]:
    """Parse one file; returns (mapping or None, issues, raw bytes)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Issue(rel, "", "", f"cannot read file: {exc.strerror or exc}")], b""
    if b"\x00" in raw:
        return None, [Issue(rel, "", "", "binary file, expected YAML text")], raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Issue(rel, "", "", f"not UTF-8 text (binary file?): byte {exc.start}")], raw
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Issue(rel, where, "", f"YAML syntax error: {problem}")], raw
    if data is None:
        return None, [Issue(rel, "", "", "file is empty")], raw
    if not isinstance(data, dict):
        return None, [Issue(rel, "", "", f"top level must be a mapping, found {type(data).__name__}")], raw
    return data, [], raw


def checksum_of(parts: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"catalogue-schema-{SCHEMA_VERSION}\0".encode())
    for rel, raw in sorted(parts):
        digest.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(raw).digest())
    return digest.hexdigest()
