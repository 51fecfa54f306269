"""Subject access: a person's own copy of everything the service holds about them.

UK GDPR Article 15. See docs/adr/0022-subject-access.md.
"""
