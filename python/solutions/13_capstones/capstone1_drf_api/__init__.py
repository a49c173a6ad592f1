"""Capstone 1: an authenticated REST API with Django and DRF (see the README).

The package's modules: `models` (users' roles, tickets), `permissions` (who may do what),
`serializers` (what goes in and out, and its validation), `views` (the endpoints), `urls` (the
URLconf the course's settings name). Nothing is imported here: Django is configured first.
"""
