"""The people assessments are about, and who may act for them.

A person need not have an account: a relative or advocate (a representative) may fill in an
assessment for someone who never signs in. Records are found by opaque ids, never by name.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

# What an anonymised person's record shows where a name would be.
ANONYMISED_NAME = "Name removed"


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The person's own account, if they have one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention schedule removed the name and the link to an account.",
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # An anonymised person keeps no name and no account: the database holds it to that.
            models.CheckConstraint(
                name="anonymised_person_keeps_no_name",
                condition=models.Q(anonymised_at__isnull=True)
                | models.Q(full_name=ANONYMISED_NAME, user__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Representation(models.Model):
    """A representative acting for a person, and how they know them ("my mother", "advocate")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="representations")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    relationship = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "representative"], name="one_representation_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} for {self.person} ({self.relationship})"
