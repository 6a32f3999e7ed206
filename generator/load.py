"""Minimal loader: placeholder until the full loader (source map, YAML 1.2, bounds) lands."""

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class LoadedDocument:
    path: Path
    data: object
    source_map: object = None


def load_document(path: Path) -> LoadedDocument:
    return LoadedDocument(path, yaml.load(path.read_text(), Loader=yaml.CSafeLoader))
