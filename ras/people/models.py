"""The people assessments are about, and who may act for them.

A person need not have an account: a relative or advocate (a representative) may fill in an
assessment for someone who never signs in. Records are found by opaque ids, never by name.
"""

import uuid

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

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
