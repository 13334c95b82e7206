"""Shared helpers that belong to no domain: errors and their mapping to HTTP, base views,
form styling, the photo field and image pipeline, admin helpers, years, pagination and a
rate limit. It imports no app of the project (only Django and libraries)."""
