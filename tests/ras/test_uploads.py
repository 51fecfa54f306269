"""Every request's files pass the upload size limit, whichever page they are sent to."""

import pytest
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from ras.uploads import MAX_UPLOAD_BYTES


def files_of(*uploads: SimpleUploadedFile) -> dict[str, object]:
    """What Django hands a view from a multipart POST carrying these files."""
    data = {f"file{number}": upload for number, upload in enumerate(uploads)}
    request = RequestFactory().post("/accounts/sign-in/", data)
    return dict(request.FILES)


def test_a_file_within_the_limit_reaches_the_page() -> None:
    upload = SimpleUploadedFile("small.csv", b"a,b\n1,2\n", content_type="text/csv")

    assert list(files_of(upload)) == ["file0"]


def test_a_file_over_the_limit_is_skipped_on_any_page() -> None:
    """A page that takes no uploads never gets a large file into memory or onto disk."""
    upload = SimpleUploadedFile("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1), content_type="text/csv")

    assert files_of(upload) == {}


def test_a_request_with_more_than_one_file_is_refused() -> None:
    first = SimpleUploadedFile("one.csv", b"a\n", content_type="text/csv")
    second = SimpleUploadedFile("two.csv", b"b\n", content_type="text/csv")

    with pytest.raises(TooManyFilesSent):
        files_of(first, second)
