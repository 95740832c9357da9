"""A DOCX converted to PDF by LibreOffice, when it is installed: phones preview PDF inline."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["ConversionError", "soffice_path", "to_pdf"]

DEFAULT_TIMEOUT = 120.0  # seconds; a first start of LibreOffice builds its profile (~5 s)


class ConversionError(RuntimeError):
    """LibreOffice ran but gave no PDF (or took too long)."""


def soffice_path() -> str | None:
    """Where LibreOffice's command is, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes | None:
    """The PDF of a .docx; None when LibreOffice is absent. One fresh profile per conversion."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(document)
        # A profile of its own: two conversions at once never share LibreOffice's lock.
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        _run(command, timeout)
        result = work / "document.pdf"
        if not result.exists():
            raise ConversionError("LibreOffice wrote no PDF")
        return result.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group, so that a timeout ends all its processes."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _out, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice took more than {timeout:g} s") from error
    if process.returncode != 0:
        message = errors.decode("utf-8", "replace").strip()
        raise ConversionError(f"LibreOffice failed ({process.returncode}): {message}")
