"""A call's parameters as Telegram reads them, from the query string and the body."""

from __future__ import annotations

import email.parser
import email.policy
import json
import mimetypes
import re
from typing import Any
from urllib.parse import parse_qsl

from bot.fake_telegram.objects import JSONDict, UploadedFile

__all__ = ["parse_params"]

_INTEGER = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")
# Parameters whose values are free text or identifiers: never guess a JSON type for these.
_TEXT_PARAMS = frozenset(
    {
        "text", "caption", "title", "description", "short_description", "name", "url",
        "callback_query_id", "file_id", "secret_token", "parse_mode", "action",
        "inline_message_id", "language_code", "query", "ip_address", "business_connection_id",
        "message_effect_id", "emoji", "custom_title", "document", "photo", "audio", "video",
        "animation", "voice", "video_note", "sticker", "thumbnail",
    }
)  # fmt: skip


def parse_params(content_type: str, query: str, body: bytes) -> JSONDict:
    """Call parameters from the query string and a JSON, urlencoded or multipart body."""
    params: JSONDict = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        return params
    if kind == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as error:
            raise ValueError("can't parse JSON body") from error
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        params.update({k: _decode_json_field(k, v) for k, v in decoded.items()})
    elif kind == "multipart/form-data":
        params.update(_parse_multipart(content_type, body))
    else:
        text = body.decode("utf-8", "replace")
        params.update({k: _decode_value(k, v) for k, v in parse_qsl(text, keep_blank_values=True)})
    return _resolve_attachments(params)


def _parse_multipart(content_type: str, body: bytes) -> JSONDict:
    """Fields of a multipart/form-data body; file parts become `UploadedFile`s."""
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = parser.parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("can't parse multipart body")
    fields: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = part.get_filename()
        if file_name is None:
            fields[name] = _decode_value(name, content.decode("utf-8", "replace"))
            continue
        # httpx escapes quotes in file names the HTML5 way.
        file_name = file_name.replace("%22", '"')
        mime_type = part.get_content_type() if "content-type" in part else None
        mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        fields[name] = UploadedFile(name, file_name, mime_type, content)
    return fields


def _resolve_attachments(params: JSONDict) -> JSONDict:
    """Replace "attach://<name>" values with the uploaded part of that name."""
    attached = {
        key: value[len("attach://") :]
        for key, value in params.items()
        if isinstance(value, str) and value.startswith("attach://")
    }
    for key, part_name in attached.items():
        if isinstance(params.get(part_name), UploadedFile):
            params[key] = params.pop(part_name)
    return params


def _decode_value(key: str, value: str) -> Any:
    """A form field as Telegram reads it: JSON objects, arrays, numbers and booleans decoded."""
    if key in _TEXT_PARAMS:
        return value
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if _INTEGER.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def _decode_json_field(key: str, value: Any) -> Any:
    """A JSON body field; objects sent as JSON strings are decoded too."""
    if isinstance(value, str) and key not in _TEXT_PARAMS and value[:1] in ("{", "["):
        return _decode_value(key, value)
    return value
