from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionnaires.loading import QuestionnaireFileInvalid, questionnaire_load

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "saq-v1.yaml"


class Command(BaseCommand):
    help = "Publishes a questionnaire version from its YAML file (the council's SAQ by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            outcome = questionnaire_load(path)
        except QuestionnaireFileInvalid as invalid:
            raise CommandError("\n".join(invalid.problems)) from invalid
        verb = "Published" if outcome.created else "Already published:"
        self.stdout.write(f"{verb} {outcome.version}")
