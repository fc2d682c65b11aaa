"""Checking an uploaded document before anything is written: its type by name and by its first bytes, its size."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# The leading bytes a real file of each type starts with, and how the type is named to the user.
SIGNATURES = {
    ".pdf": (b"%PDF-", "PDF"),
    ".docx": (b"PK\x03\x04", "Word（.docx）"),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word（.doc）"),
    ".jpg": (b"\xff\xd8\xff", "JPEG 图片"),
    ".jpeg": (b"\xff\xd8\xff", "JPEG 图片"),
    ".png": (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    ".xlsx": (b"PK\x03\x04", "Excel 工作簿（.xlsx）"),
}
MAX_BYTES = 20 * 1024 * 1024
# An .xlsx is a zip package the server unpacks (the ledger import); uploaded .docx files are only stored and handed
# back. A real 100,000-row ledger of 5.5 MB unpacks to about 110 MB (20:1); a "zip bomb" of a few MB unpacks to
# gigabytes (up to about 1000:1). The sizes are the ones the package declares, which are also all that reading it
# will ever unpack (zipfile stops at the declared size).
ZIP_PACKAGES = (".xlsx",)
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_PACKING_RATIO = 100


def upload_dir(folder: str) -> Path:
    """Where the uploaded files of one kind are kept: ``folder`` under FUYUAN_UPLOAD_DIR, the shared store of several
    application servers (a folder they all mount), else under the data folder. Read when used, so a test's
    ``DATA_DIR`` is honoured."""
    return Path(getattr(settings, "FUYUAN_UPLOAD_DIR", None) or settings.DATA_DIR) / folder


def check_upload(
    upload: UploadedFile,
    *,
    accepted: Iterable[str],
    not_accepted: str,
    error: type[Exception],
    label_suffix: str = "",
    max_bytes: int = MAX_BYTES,
) -> str:
    """The file's extension if it is one of ``accepted`` and really is such a file, not empty and not over
    ``max_bytes``; otherwise ``error`` saying what is wrong and what to do (``not_accepted`` follows the file's name
    when the extension is not accepted)."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in set(accepted):
        raise error(f"“{name}”{not_accepted}")
    size = upload.size or 0
    if size == 0:
        raise error(f"“{name}”是空文件，请重新选择")
    if size > max_bytes:
        raise error(
            f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 的上限，请压缩后再上传"
        )
    magic, label = SIGNATURES[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise error(f"“{name}”的内容不是 {label}{label_suffix}（文件可能已损坏或扩展名被改过），请重新导出后上传")
    if suffix in ZIP_PACKAGES:
        _check_package(upload, name=name, label=label, error=error)
    return suffix


def _check_package(upload: UploadedFile, *, name: str, label: str, error: type[Exception]) -> None:
    """A readable zip package that does not unpack to far more than a real document of its kind could."""
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise error(f"“{name}”不是完整的 {label}（文件可能已损坏），请重新导出后上传") from None
    finally:
        upload.seek(0)
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * max(packed, 1):
        raise error(
            f"“{name}”解压后达 {unpacked / 1024 / 1024:.0f} MB，不像正常的 {label}，系统拒绝处理；请重新导出后上传"
        )
