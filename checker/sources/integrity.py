"""Hashes that registries publish for their downloads, and the check of a download against one."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac

from checker.errors import IntegrityError

# Subresource Integrity algorithms that npm writes, strongest first.
_SRI_ALGORITHMS = ("sha512", "sha384", "sha256")


@dataclasses.dataclass(frozen=True)
class Digest:
    """An expected hash: the hashlib algorithm name and the raw digest bytes."""

    algorithm: str
    value: bytes

    @classmethod
    def from_sri(cls, text: str) -> Digest | None:
        """Parse a Subresource Integrity string (`sha512-BASE64`, maybe several), taking the strongest hash."""
        found: dict[str, bytes] = {}
        for token in text.split():
            algorithm, _, encoded = token.partition("-")
            try:
                found.setdefault(algorithm, base64.b64decode(encoded.partition("?")[0], validate=True))
            except binascii.Error:
                continue
        for algorithm in _SRI_ALGORITHMS:
            if algorithm in found:
                return cls(algorithm, found[algorithm])
        return None

    @classmethod
    def from_hex(cls, algorithm: str, text: str) -> Digest | None:
        """Build a digest from a hexadecimal string, or None when the algorithm or the text is unusable."""
        if algorithm not in hashlib.algorithms_guaranteed:
            return None
        try:
            return cls(algorithm, bytes.fromhex(text))
        except ValueError:
            return None

    def matches(self, data: bytes) -> bool:
        """Tell whether `data` hashes to this digest."""
        return hmac.compare_digest(hashlib.new(self.algorithm, data).digest(), self.value)


def verify(data: bytes, digest: Digest, subject: str, url: str) -> None:
    """Raise IntegrityError unless the bytes downloaded from `url` match the published digest."""
    if not digest.matches(data):
        raise IntegrityError(
            f"{subject}: the download from {url} does not match the {digest.algorithm} hash the registry "
            "published for it; the file is damaged or was replaced, so schema-diff does not read it"
        )
