"""The self-assessment journey for service users and representatives, one page per module area.

Pages that need money (sending the assessment, the confirmation with the budget) live in
`allocations.views.assessment_budget`: this app knows points, not money.
"""
