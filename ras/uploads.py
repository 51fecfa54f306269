"""An upload handler that stops taking in a file once it passes the upload size limit.

Django's own handlers keep a large upload in memory or write it to a temporary file whatever its
size. This handler comes first for every request (`FILE_UPLOAD_HANDLERS`): it counts each file's
bytes as they arrive and skips the file as soon as it passes the limit, so an oversized file never
reaches memory or disk in full, whichever page it is sent to. A page that takes uploads puts its
own instance first as well, to learn which file was skipped and tell the person it is too large.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

# No file the service takes (an allocation table, a calibration sample) comes near this size.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class UploadSizeLimit(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None, limit_bytes: int = MAX_UPLOAD_BYTES):
        super().__init__(request)
        self.limit_bytes = limit_bytes
        self.received_bytes = 0
        # Names of the form fields whose file was skipped for being too large.
        self.too_large: set[str] = set()

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received_bytes += len(raw_data)
        if self.received_bytes > self.limit_bytes:
            self.too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
