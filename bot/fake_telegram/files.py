"""Files: what the bot uploads and what users send, served again through getFile and downloads."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from bot.fake_telegram.limits import MAX_CAPTION_LENGTH, MAX_UPLOAD_SIZE
from bot.fake_telegram.objects import ApiError, JSONDict, StoredFile, UploadedFile, utf16_len
from bot.fake_telegram.state import FakeState

__all__ = ["Files"]


class Files(FakeState):
    """Keeps files by id and by download path."""

    def _register_file(
        self,
        content: bytes,
        *,
        folder: str,
        file_name: str | None,
        mime_type: str | None,
        file_size: int | None = None,
    ) -> StoredFile:
        """Keep a file so that getFile and the download URL can serve it."""
        number = len(self._files) + 1
        suffix = PurePosixPath(file_name).suffix if file_name else ".jpg"
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}",
            file_unique_id=f"AgAD{number:08d}",
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(content) if file_size is None else file_size,
            content=content,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _input_file(self, params: JSONDict, field_name: str, folder: str) -> StoredFile:
        """The file a send names: a fresh upload, a known file_id, or a URL."""
        value = params.get(field_name)
        if isinstance(value, UploadedFile):
            if not value.content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(value.content) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            return self._register_file(
                value.content, folder=folder, file_name=value.file_name, mime_type=value.mime_type
            )
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = PurePosixPath(urlsplit(value).path).name or "file"
            return self._register_file(
                b"", folder=folder, file_name=name, mime_type=mimetypes.guess_type(name)[0]
            )
        if value is None:
            raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _caption_fields(self, params: JSONDict) -> JSONDict:
        """`caption` and `caption_entities` of a media send, checked for length."""
        caption = params.get("caption")
        if caption is None:
            return {}
        if utf16_len(str(caption)) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        fields: JSONDict = {"caption": str(caption)}
        if params.get("caption_entities"):
            fields["caption_entities"] = params["caption_entities"]
        return fields

    def _note_upload(self, params: JSONDict, field_name: str, stored: StoredFile) -> None:
        """Remember an upload's bytes for `uploaded_files`."""
        if isinstance(params.get(field_name), UploadedFile):
            chat_id = self._chat_id(params)
            self._uploads.setdefault(chat_id, []).append((stored.file_name or "", stored.content))
