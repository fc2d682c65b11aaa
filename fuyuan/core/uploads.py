"""Checking an uploaded document before anything is written: its type by name and by its first bytes, its size."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

# The leading bytes a real file of each type starts with, and how the type is named to the user.
SIGNATURES = {
    ".pdf": (b"%PDF-", "PDF"),
    ".docx": (b"PK\x03\x04", "Word（.docx）"),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word（.doc）"),
    ".jpg": (b"\xff\xd8\xff", "JPEG 图片"),
    ".jpeg": (b"\xff\xd8\xff", "JPEG 图片"),
    ".png": (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
}
MAX_BYTES = 20 * 1024 * 1024


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
    return suffix
