"""The scam-list import refuses a file over the cap set in settings (UPLOAD_MAX_MB_SCAM_LIST), and says
the cap in its message; a file under it is read."""

import io

import pytest

from congdongso.scams.imports import FileProblem, read_csv

HEADER = "loai,gia_tri\n".encode()


def test_a_file_over_the_configured_cap_is_refused_with_the_cap_in_the_message(settings):
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "scam_list": 2 * 1024 * 1024}
    big = HEADER + b"so_dien_thoai,0912345678\n" * (2 * 1024 * 1024 // 25 + 1)
    with pytest.raises(FileProblem) as refused:
        read_csv(io.BytesIO(big))
    assert "tối đa 2 MB" in str(refused.value)


def test_a_file_under_the_cap_is_read(settings):
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "scam_list": 2 * 1024 * 1024}
    rows = read_csv(io.BytesIO(HEADER + b"so_dien_thoai,0912345678\n"))
    assert len(rows) == 1
