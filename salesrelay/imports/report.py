"""What an import found and did, per file: the report the command prints and the web job shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from salesrelay.imports.reader import Problem


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    # Records already stored that the file changes, by file, and how often each column changed.
    changed: dict[str, int] = field(default_factory=dict)
    changed_columns: dict[str, Counter[str]] = field(default_factory=dict)
    # Segment codes the clients name that are not in the table (added with --create-segments).
    new_segments: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, name: str, *, created: bool, n: int = 1) -> None:
        bucket = self.created if created else self.skipped
        bucket[name] = bucket.get(name, 0) + n

    def count_changed(self, name: str, columns: Iterable[str]) -> None:
        self.changed[name] = self.changed.get(name, 0) + 1
        self.changed_columns.setdefault(name, Counter()).update(list(columns))

    def summary(self) -> str:
        """One line per file: ``deals.csv: 1 new, 2 changed (status 2, won_on 1), 5 unchanged``."""
        lines = []
        for name in sorted(set(self.created) | set(self.skipped) | set(self.changed)):
            columns = self.changed_columns.get(name, Counter())
            detail = f" ({', '.join(f'{c} {n}' for c, n in sorted(columns.items()))})" \
                if columns else ""
            lines.append(f"{name}.csv: {self.created.get(name, 0)} new, "
                         f"{self.changed.get(name, 0)} changed{detail}, "
                         f"{self.skipped.get(name, 0)} unchanged")
        if self.new_segments:
            lines.append(f"new segments: {', '.join(self.new_segments)}")
        return "\n".join(lines) or "nothing to import"
