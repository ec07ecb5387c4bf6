"""Fixtures for the catalogue unit tests (no database)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue"


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURE_DIR


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini catalogue, to break in a test."""
    target = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_DIR, target)
    return target
