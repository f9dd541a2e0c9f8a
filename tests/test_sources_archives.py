"""Archives read in memory: tar and zip members, unsafe members, size and member limits, and archive paths on the command line."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

import checker.cli
from checker.cli import main
from checker.errors import InvalidArchiveError, UnsafeArchiveError
from checker.sources import ArchiveLimits, SourceOptions, open_source
from checker.sources.archives import read_archive
from fakes import STATUS_NEW, STATUS_OLD, schema_bytes, tar_bytes, zip_bytes

LIMITS = ArchiveLimits()


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder, so that nothing resolves against the repository's own ./schemas."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: error: ")
    return lines[0]


# Reading members --------------------------------------------------------------------------

def test_tar_keeps_schema_files_only() -> None:
    data = tar_bytes({"schemas/a.json": b"{}", "schemas/b.yaml": b"type: string\n", "README.md": b"# hi"})

    tree = read_archive("t.tgz", data, "tar", LIMITS)

    assert tree.files == {"schemas/a.json": b"{}", "schemas/b.yaml": b"type: string\n"}
    assert tree.paths == {"schemas/a.json", "schemas/b.yaml", "README.md"}


def test_zip_keeps_schema_files_only() -> None:
    data = zip_bytes({"schemas/a.json": b"{}", "schemas/c.yml": b"{}", "notes.txt": b"x"})

    tree = read_archive("t.zip", data, "zip", LIMITS)

    assert tree.files == {"schemas/a.json": b"{}", "schemas/c.yml": b"{}"}
    assert tree.paths == {"schemas/a.json", "schemas/c.yml", "notes.txt"}


def test_dot_parts_are_dropped_from_names() -> None:
    data = tar_bytes({"./schemas/./a.json": b"{}"})

    tree = read_archive("t.tgz", data, "tar", LIMITS)

    assert tree.files == {"schemas/a.json": b"{}"}


def test_strip_top_removes_first_folder() -> None:
    # npm tarballs keep everything under package/; a file outside any folder has no place after stripping.
    data = tar_bytes({"package/schemas/a.json": b"{}", "package/package.json": b"{}", "loose.json": b"{}"})

    tree = read_archive("t.tgz", data, "tar", LIMITS, strip_top=True)

    assert tree.files == {"schemas/a.json": b"{}", "package.json": b"{}"}


@pytest.mark.parametrize("compression", ["gz", "bz2", "xz", ""])
def test_tar_compressions(compression: str) -> None:
    # The tar reader detects the compression itself, as `tar -x` does.
    data = tar_bytes({"a.json": b"{}"}, compression=compression)

    assert read_archive("t", data, "tar", LIMITS).files == {"a.json": b"{}"}


# Unsafe members ---------------------------------------------------------------------------

UNSAFE_ARCHIVES = [
    # A parent-folder step would land the member outside the folder it is unpacked into.
    ("tar", lambda: tar_bytes({"schemas/a.json": b"{}", "../evil.json": b"{}"}), "../evil.json", "leads out of its folder"),
    # The same step hidden in the middle of the path.
    ("tar", lambda: tar_bytes({"schemas/../../evil.json": b"{}"}), "schemas/../../evil.json", "leads out of its folder"),
    # An absolute path ignores the folder altogether.
    ("tar", lambda: tar_bytes({"/etc/evil.json": b"{}"}), "/etc/evil.json", "absolute path"),
    # A symbolic link can point anywhere on the machine that unpacks it.
    ("tar", lambda: tar_bytes({"a.json": b"{}"}, symlinks={"link.json": "/etc/passwd"}), "link.json", "is a link"),
    # A hard link is a link too, and tarfile would resolve it against the disk.
    ("tar", lambda: tar_bytes({"a.json": b"{}"}, hardlinks={"copy.json": "a.json"}), "copy.json", "is a link"),
    ("zip", lambda: zip_bytes({"schemas/a.json": b"{}", "../evil.json": b"{}"}), "../evil.json", "leads out of its folder"),
    # Backslashes separate folders on Windows, so this climbs out there.
    ("zip", lambda: zip_bytes({"..\\evil.json": b"{}"}), "..\\evil.json", "leads out of its folder"),
    ("zip", lambda: zip_bytes({"/evil.json": b"{}"}), "/evil.json", "absolute path"),
    # A drive letter makes a path absolute on Windows.
    ("zip", lambda: zip_bytes({"C:/evil.json": b"{}"}), "C:/evil.json", "absolute path"),
    # A zip member whose Unix mode has S_IFLNK set is a symbolic link when unpacked.
    ("zip", lambda: zip_bytes({"a.json": b"{}"}, symlinks={"link.json": "../../etc/passwd"}), "link.json", "is a link"),
]


@pytest.mark.parametrize(("kind", "build", "member", "problem"), UNSAFE_ARCHIVES)
def test_unsafe_member_rejected(kind: str, build, member: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnsafeArchiveError) as raised:
        read_archive("bad-archive", build(), kind, LIMITS)  # type: ignore[arg-type]

    assert str(raised.value).startswith("bad-archive: member ")
    assert repr(member) in str(raised.value)
    assert problem in str(raised.value)


def test_special_file_rejected() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        fifo = tarfile.TarInfo("pipe.json")
        fifo.type = tarfile.FIFOTYPE
        archive.addfile(fifo)

    with pytest.raises(UnsafeArchiveError, match="'pipe.json' is not a regular file or folder"):
        read_archive("t.tgz", buffer.getvalue(), "tar", LIMITS)


# Limits -----------------------------------------------------------------------------------

def test_tar_over_byte_limit() -> None:
    data = tar_bytes({"a.json": b"{}", "big.json": b" " * 2000})

    with pytest.raises(UnsafeArchiveError, match=r"t\.tgz: uncompressed contents exceed 1000 bytes \(reached at member 'big.json'\)"):
        read_archive("t.tgz", data, "tar", ArchiveLimits(max_bytes=1000))


def test_zip_over_byte_limit() -> None:
    data = zip_bytes({"a.json": b"{}", "big.json": b" " * 2000})

    with pytest.raises(UnsafeArchiveError, match="uncompressed contents exceed 1000 bytes"):
        read_archive("t.zip", data, "zip", ArchiveLimits(max_bytes=1000))


def test_skipped_members_count_toward_limit() -> None:
    # A member that is not a schema is still decompressed while the tar stream is skipped past it.
    data = tar_bytes({"a.json": b"{}", "video.bin": b"\0" * 5000})

    with pytest.raises(UnsafeArchiveError, match="reached at member 'video.bin'"):
        read_archive("t.tgz", data, "tar", ArchiveLimits(max_bytes=1000))


def test_gzip_bomb_stopped() -> None:
    # 8 MiB of zeros compress to a few kilobytes: a small download that expands a thousandfold.
    data = tar_bytes({"zeros.json": b"\0" * (8 * 1024 * 1024)})
    assert len(data) < 64 * 1024

    with pytest.raises(UnsafeArchiveError, match="uncompressed contents exceed 1 MiB"):
        read_archive("bomb.tgz", data, "tar", ArchiveLimits(max_bytes=1024 * 1024))


@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_over_member_limit(kind: str) -> None:
    files = {f"m{index}.json": b"{}" for index in range(5)}
    data = tar_bytes(files) if kind == "tar" else zip_bytes(files)

    with pytest.raises(UnsafeArchiveError, match="more than 3 members"):
        read_archive("t", data, kind, ArchiveLimits(max_members=3))  # type: ignore[arg-type]


def test_limits_allow_exact_fit() -> None:
    # The limits are inclusive: 3 members of 2 bytes fit in 3 members and 6 bytes.
    data = tar_bytes({"a.json": b"{}", "b.json": b"{}", "c.json": b"{}"})

    tree = read_archive("t", data, "tar", ArchiveLimits(max_bytes=6, max_members=3))

    assert len(tree.files) == 3


@pytest.mark.parametrize(("kind", "data"), [
    ("tar", b"this is not an archive at all"),
    ("zip", b"PK\x03\x04 broken"),
    # A gzip header followed by garbage: the stream fails to inflate.
    ("tar", gzip.compress(b"x" * 100)[:20] + b"garbage"),
])
def test_damaged_archive(kind: str, data: bytes) -> None:
    with pytest.raises(InvalidArchiveError, match=f"^t: not a readable {kind} archive"):
        read_archive("t", data, kind, LIMITS)  # type: ignore[arg-type]


# Archive paths as sources -----------------------------------------------------------------

def test_open_source_reads_archive(in_empty_folder: Path) -> None:
    (in_empty_folder / "v1.tgz").write_bytes(tar_bytes({"schemas/status.json": schema_bytes(STATUS_OLD)}))

    documents = open_source("v1.tgz", SourceOptions(cache_dir=in_empty_folder / "cache"))

    assert documents.source == "v1.tgz"
    assert list(documents.documents) == ["schemas/status.json"]
    assert documents.documents["schemas/status.json"].shown_as == "v1.tgz:schemas/status.json"


def test_cli_compares_tgz_with_zip(in_empty_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_empty_folder / "old.tar.gz").write_bytes(tar_bytes({"schemas/status.json": schema_bytes(STATUS_OLD)}))
    (in_empty_folder / "new.zip").write_bytes(zip_bytes({"schemas/status.json": schema_bytes(STATUS_NEW)}))

    code, out, _ = run(capsys, "old.tar.gz", "new.zip", "--format", "json")
    report = json.loads(out)

    # "failed" was added to the enum: old readers reject it, so it breaks forward.
    assert code == 1
    assert [(change["rule"], change["new_value"], change["schema"]) for change in report["changes"]] == [
        ("enum-value-added", "failed", "schemas/status.json")]
    assert report["old"]["source"] == "old.tar.gz"
    assert report["new"]["source"] == "new.zip"


def test_cli_unsafe_member_exit_2(in_empty_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_empty_folder / "old.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_OLD)}))
    (in_empty_folder / "new.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_NEW), "../escape.json": b"{}"}))
    before = sorted(os.listdir(in_empty_folder.parent))

    line = one_error_line(*run(capsys, "old.tgz", "new.tgz"))

    assert line == ("schema-diff: error: new.tgz: member '../escape.json' leads out of its folder with '..'; "
                    "the archive is rejected")
    # Nothing was unpacked, beside the archives or above them.
    assert sorted(os.listdir(in_empty_folder)) == ["new.tgz", "old.tgz"]
    assert sorted(os.listdir(in_empty_folder.parent)) == before


def test_cli_symlink_member_exit_2(in_empty_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_empty_folder / "old.zip").write_bytes(zip_bytes({"status.json": schema_bytes(STATUS_OLD)}, symlinks={"passwd.json": "/etc/passwd"}))
    (in_empty_folder / "new.zip").write_bytes(zip_bytes({"status.json": schema_bytes(STATUS_NEW)}))

    line = one_error_line(*run(capsys, "old.zip", "new.zip"))

    assert line == "schema-diff: error: old.zip: member 'passwd.json' is a link; schema-diff reads no links from archives"


def test_cli_bomb_over_lowered_limit_exit_2(in_empty_folder: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def small_limits(**options: object) -> SourceOptions:
        return SourceOptions(**options, limits=ArchiveLimits(max_bytes=64 * 1024))  # type: ignore[arg-type]

    monkeypatch.setattr(checker.cli, "SourceOptions", small_limits)
    (in_empty_folder / "old.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_OLD)}))
    (in_empty_folder / "new.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_NEW), "pad.bin": b"\0" * (1024 * 1024)}))

    line = one_error_line(*run(capsys, "old.tgz", "new.tgz"))

    assert line == "schema-diff: error: new.tgz: uncompressed contents exceed 65536 bytes (reached at member 'pad.bin'); the archive is rejected"


def test_cli_damaged_archive_exit_2(in_empty_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_empty_folder / "old.tgz").write_bytes(b"not gzip")
    (in_empty_folder / "new.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_NEW)}))

    line = one_error_line(*run(capsys, "old.tgz", "new.tgz"))

    assert line.startswith("schema-diff: error: old.tgz: not a readable tar archive")


def test_cli_archive_without_schemas_exit_2(in_empty_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_empty_folder / "old.tgz").write_bytes(tar_bytes({"README.md": b"# nothing here"}))
    (in_empty_folder / "new.tgz").write_bytes(tar_bytes({"status.json": schema_bytes(STATUS_NEW)}))

    line = one_error_line(*run(capsys, "old.tgz", "new.tgz"))

    assert line == "schema-diff: error: old.tgz: no schema documents (.json, .yaml, .yml) in it"


def test_encrypted_zip_member_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The standard library cannot write an encrypted zip, so the member's "encrypted" flag
    # (bit 0 of the general purpose flags) is set by hand. It sits in the local header at
    # offset 6 and in the central directory at offset 8, and reading the member then needs a password.
    data = bytearray(zip_bytes({"schemas/status.json": schema_bytes(STATUS_OLD)}))
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    data[local + 6] |= 1
    data[central + 8] |= 1
    archive = tmp_path / "old.zip"
    archive.write_bytes(bytes(data))

    code, out, err = run(capsys, archive, archive)

    assert one_error_line(code, out, err) == f"schema-diff: error: {archive}: not a readable zip archive: a member is encrypted, and schema-diff reads no passwords"
