"""backup and restore refuse what would lose data, and say why in Vietnamese: an existing file is
not overwritten without --yes, the database is not replaced without --yes, a file that is not a
backup of this database kind is refused, and missing PostgreSQL programs are named."""

import pytest
from django.core.management import CommandError, call_command

from congdongso.ops import backup as ops

pytestmark = pytest.mark.django_db


def test_an_existing_backup_file_is_not_overwritten_without_yes(tmp_path):
    target = tmp_path / "old.backup"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="đã có.*--yes"):
        call_command("backup", "--output", str(target))
    assert target.read_bytes() == b"an older backup"


def test_restore_asks_for_yes_and_changes_nothing_without_it(tmp_path):
    from congdongso.geo.models import Unit

    units = Unit.objects.count()
    with pytest.raises(CommandError, match="thay toàn bộ dữ liệu.*--yes"):
        call_command("restore", __file__)
    assert Unit.objects.count() == units


def test_a_missing_backup_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", str(tmp_path / "none.backup"), "--yes")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("không phải bản sao lưu", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(other), "--yes")


def test_missing_postgresql_programs_are_named_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    monkeypatch.setattr(ops.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(ops.shutil, "which", lambda name: None)
    with pytest.raises(ops.BackupError, match="Không tìm thấy chương trình pg_dump.*postgresql-client"):
        ops.pg_binary("pg_dump")


def test_the_newest_postgresql_programs_are_preferred(monkeypatch, tmp_path):
    # pg_dump must not be older than the server: 16 wins over 9 (numbers, not text, are compared).
    directories = []
    for version in ("9", "16", "13"):
        directory = tmp_path / version / "bin"
        directory.mkdir(parents=True)
        program = directory / "pg_dump"
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
        directories.append(str(directory))
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.setattr(ops.glob, "glob", lambda pattern: directories)
    assert ops.pg_binary("pg_dump") == tmp_path / "16" / "bin" / "pg_dump"
