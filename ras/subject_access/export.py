"""The person's copy as one zip file: README.txt, data.json, your-records.pdf and the letters.

Built in the request from the database alone (a person has tens of records, not thousands) and
never stored: a stored copy would be another copy of health data to keep safe and delete.
"""

import io
import zipfile

from django.utils import timezone

from allocations.letters import indicative_budget_letter_pdf, letter_file_name
from ras.people.models import Person
from ras.subject_access.collect import LETTERS_FOLDER, person_budgets, subject_access_collect
from ras.subject_access.document import data_json, readme_text, records_pdf

README = "README.txt"
DATA = "data.json"
DOCUMENT = "your-records.pdf"
FILE_MODE = 0o644  # readable once unpacked, whatever the program that unpacks it


def zip_file_name(person: Person) -> str:
    """The download's file name: the person's opaque reference, never their name."""
    return f"records-{person.public_id}.zip"


def subject_access_zip(person: Person) -> bytes:
    """Everything held about `person` as a zip: README.txt, data.json, your-records.pdf (tagged
    PDF/UA-1), and each letter the service draws for them, drawn again, under letters/."""
    collected = subject_access_collect(person)
    files: list[tuple[str, bytes]] = [
        (README, readme_text(collected)),
        (DATA, data_json(collected)),
        (DOCUMENT, records_pdf(collected)),
    ]
    letter_date = timezone.localdate(collected["produced_at"])
    files.extend(
        (
            f"{LETTERS_FOLDER}/{letter_file_name(budget)}",
            indicative_budget_letter_pdf(budget, letter_date=letter_date),
        )
        for budget in person_budgets(person)
    )
    stamp = timezone.localtime(collected["produced_at"]).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.external_attr = FILE_MODE << 16
            archive.writestr(entry, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
