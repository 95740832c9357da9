"""PDF by LibreOffice: what a phone previews is A4 with the Quốc hiệu, the title and a figure."""

from __future__ import annotations

import shutil
import stat
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.documents import ConversionError, Letterhead, invitation_docx, minutes_docx, report_docx
from bot.documents.measure import text_width
from bot.documents.pdf import to_pdf
from bot.reports import build_summary
from bot.storage import make_engine, upgrade
from tests.documents.conftest import build_example, snapshot_of
from tests.documents.samples import INVITATION, MINUTES

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed; "
    "`.ci/run` installs them",
)


def fake_soffice(folder: Path, body: str) -> None:
    """A `soffice` on PATH that runs `body` (a shell script) instead of LibreOffice."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_without_libreoffice_there_is_no_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert to_pdf(b"not read") is None


def test_a_libreoffice_that_hangs_is_stopped_with_all_its_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    fake_soffice(tmp_path / "bin", f"/bin/sleep 60 &\necho $! > {pids}\nwait")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ConversionError, match="more than 1 s"):
        to_pdf(b"docx", timeout=1)
    child = int(pids.read_text())
    state = Path(f"/proc/{child}/stat")
    assert not state.exists() or state.read_text().split(") ")[1][0] == "Z"


def test_a_libreoffice_that_fails_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path / "bin", "echo 'source file could not be loaded' >&2\nexit 3")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ConversionError, match=r"\(3\): source file could not be loaded"):
        to_pdf(b"docx")


def test_a_libreoffice_that_writes_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path / "bin", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ConversionError, match="no PDF"):
        to_pdf(b"docx")


def _report(sqlite_url: str) -> bytes:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    build_example(engine)
    summary = build_summary(snapshot_of(engine))
    engine.dispose()
    head = Letterhead.for_cluster(summary.clusters[0].name)
    return report_docx(summary.clusters[0], summary.period, letterhead=head, dated=date(2026, 7, 3))


def _pdftotext(path: Path, *flags: str) -> str:
    """Page 1's text as poppler reads it."""
    command = ["pdftotext", "-f", "1", "-l", "1", *flags, str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode()


def _page_one(pdf: bytes, folder: Path) -> tuple[str, str]:
    """(the text of page 1 on one line, what pdfinfo says of the pages)."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    text = _pdftotext(path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    return " ".join(text.split()), info


PAPERS: dict[str, tuple[Callable[[str], bytes], str, str]] = {
    "report": (_report, "BÁO CÁO", "450 tỷ đồng"),
    "minutes": (lambda _url: minutes_docx(MINUTES), "BIÊN BẢN", "có mặt 2/4 đơn vị"),
    "invitation": (lambda _url: invitation_docx(INVITATION), "GIẤY MỜI", "14 giờ 00 phút"),
}


@needs_libreoffice
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_each_paper_converts_to_an_a4_pdf_with_the_quoc_hieu_title_and_a_figure_on_page_one(
    paper: str, sqlite_url: str, tmp_path: Path
) -> None:
    build, title, figure = PAPERS[paper]
    pdf = to_pdf(build(sqlite_url))
    assert pdf is not None and pdf.startswith(b"%PDF")
    text, info = _page_one(pdf, tmp_path)
    assert QUOC_HIEU in text
    assert title in text
    assert figure in text
    assert "Page size:" in info and "(A4)" in info


@needs_libreoffice
def test_the_estimated_width_of_a_header_line_matches_the_rendered_one(tmp_path: Path) -> None:
    pdf = to_pdf(invitation_docx(INVITATION))
    assert pdf is not None
    path = tmp_path / "invitation.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = [line for line in boxes.splitlines() if "<word " in line]
    issuer = ["CỤM", "THI", "ĐUA", "SỐ", "2"]
    start = next(
        n for n in range(len(words)) if all(w in words[n + i] for i, w in enumerate(issuer))
    )
    first, last = words[start], words[start + len(issuer) - 1]
    rendered = _coordinate(last, "xMax") - _coordinate(first, "xMin")
    estimated = text_width(" ".join(issuer), 13, bold=True)
    assert abs(rendered - estimated) / estimated < 0.08


def _coordinate(word: str, name: str) -> float:
    return float(word.split(f'{name}="')[1].split('"')[0])
