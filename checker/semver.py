"""The semver check: the release a set of changes requires, against the one made."""

from __future__ import annotations

import dataclasses
import re

from packaging.version import InvalidVersion, Version

from checker.errors import VersionError
from checker.model import Report, Severity

BUMPS = ("patch", "minor", "major")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The release the version numbers show, and the release the changes require."""

    old: Version
    new: Version
    actual: str | None
    required: str
    required_version: Version
    breaking: int

    @property
    def sufficient(self) -> bool:
        """Whether the release made is at least the one required."""
        return self.actual is not None and BUMPS.index(self.actual) >= BUMPS.index(self.required)

    def line(self) -> str:
        """Write one sentence for the report, e.g. `1.5.1 → 1.7.1 is a minor release; its 16 breaking changes require 2.0.0`."""
        made = f"is a {self.actual} release" if self.actual else "is not a newer release"
        if self.sufficient:
            return f"{self.old} → {self.new} {made}, which its changes allow (they require at least a {self.required} release)"
        if self.breaking == 1:
            reason = "its 1 breaking change requires"
        elif self.breaking:
            reason = f"its {self.breaking} breaking changes require"
        else:
            reason = "its changes require"
        return f"{self.old} → {self.new} {made}; {reason} {self.required_version}"


def parse_version(text: str, side: str) -> Version:
    """Parse a version number, naming the side it belongs to in the error."""
    try:
        return Version(text)
    except InvalidVersion as error:
        raise VersionError(f"{side} version {text!r} is not a valid version number (PEP 440 or semver)") from error


def bump_between(old: Version, new: Version) -> str | None:
    """Return the kind of release from `old` to `new`, or None when `new` is not newer."""
    if new <= old:
        return None
    if new.release[:1] != old.release[:1]:
        return "major"
    if _part(new, 1) != _part(old, 1):
        return "minor"
    return "patch"


def required_bump(report: Report, old: Version) -> str:
    """Return the smallest release the changes allow. Below 1.0.0 a breaking change needs only a minor release."""
    if report.count(Severity.BREAKING):
        return "major" if old.major >= 1 else "minor"
    if report.count(Severity.ADDITIVE) or report.count(Severity.POTENTIALLY_BREAKING):
        return "minor"
    return "patch"


def next_version(old: Version, bump: str) -> Version:
    """The first version of a release kind after `old` (1.5.1 with major is 2.0.0)."""
    if bump == "major":
        return Version(f"{old.major + 1}.0.0")
    if bump == "minor":
        return Version(f"{old.major}.{_part(old, 1) + 1}.0")
    return Version(f"{old.major}.{_part(old, 1)}.{_part(old, 2) + 1}")


def check(report: Report, old_text: str, new_text: str) -> Verdict:
    """Compare the release made between two versions with the one the report requires."""
    old, new = parse_version(old_text, "old"), parse_version(new_text, "new")
    required = required_bump(report, old)
    return Verdict(old, new, bump_between(old, new), required, next_version(old, required), report.count(Severity.BREAKING))


def _part(version: Version, position: int) -> int:
    return version.release[position] if len(version.release) > position else 0


def version_of(name: str) -> Version | None:
    """Read a folder or tag name as a version; a prefix such as `v` or `release-` is skipped."""
    match = re.search(r"\d", name)
    if match is None:
        return None
    try:
        return Version(name[match.start():])
    except InvalidVersion:
        return None
