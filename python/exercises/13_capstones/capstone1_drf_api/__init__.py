"""Capstone 1: an authenticated REST API with Django and DRF (see the section's README).

A help desk: customers register, log in for a token and file tickets; agents triage them; admins
do everything and hand out roles. The package's modules, in the order to work on them:

- `models.py`: each user's role (`Profile`) and the tickets. Given: read it.
- `permissions.py`: who may do what, per action and per object.
- `serializers.py`: what goes in and out, and its validation, per role.
- `views.py`: registration, token login and logout, the tickets, users' roles.
- `urls.py`: the URLconf the course's settings name. Given.

Nothing is imported here: the course's `capsite.setup()` configures Django first, then imports
`capstone1_drf_api.urls`, which imports the rest.
"""
