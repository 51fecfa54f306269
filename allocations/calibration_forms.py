"""The form for uploading a calibration sample."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from allocations.spreadsheets.safety import file_too_large_message


class CalibrationUploadForm(forms.Form):
    name = forms.CharField(
        label="Name of the sample",
        max_length=120,
        error_messages={
            "required": "Enter a name for the sample",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select an Excel workbook (.xlsx) or a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select an Excel workbook (.xlsx) or a CSV file",
        },
    )

    def __init__(self, *args: Any, file_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        if file_too_large:
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.file_too_large:
            raise ValidationError(file_too_large_message())
        return self.cleaned_data["file"]
