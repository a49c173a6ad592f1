"""The course's Django project for capstone 1, in one file: settings, an app for your models,
tables, test isolation (the track's `07_django/djangosite.py`, with DRF's token app).

Read it, do not edit it (the course's copy is the one that runs). A real project has
`settings.py`, `urls.py`, apps with `models.py` and migrations, and `manage.py test`; here the
test file calls `setup(...)` once, before it imports your package, and this module plays those
parts:

- **Settings** (https://docs.djangoproject.com/en/5.2/topics/settings/#using-settings-without-setting-django-settings-module):
  `settings.configure(...)` then `django.setup()`: an in-memory SQLite database, the contrib
  apps auth and contenttypes, Django REST framework and its token app
  (`rest_framework.authtoken`, https://www.django-rest-framework.org/api-guide/authentication/#tokenauthentication),
  and the course's app, label `capstone`. No `REST_FRAMEWORK` settings: authentication,
  permissions, pagination and filters are declared on your views, where a reader sees them.
- **Your models** declare `class Meta: app_label = "capstone"`.
- **Your package's `urls` module is the URLconf** (`ROOT_URLCONF`); `setup()` imports it once
  Django is ready, so the models it reaches are registered.
- **Tables**: instead of migrations, `create_tables()` creates the table of every model that has
  none yet (what `migrate --run-syncdb` does).
- **Test isolation**: the `db` fixture runs each test inside a transaction that is rolled back at
  its end, as `django.test.TestCase` does.
- Passwords are hashed with MD5 *in the tests only* (PBKDF2's iterations would make every
  registration slow); production keeps the default.

This module is trusted course code: it may change settings. Your code may not (see the rule
book): a verdict must not depend on what the code under test configured.
"""

import os

import django
import pytest
from django.apps import AppConfig
from django.conf import settings

LABEL = "capstone"


class CapstoneConfig(AppConfig):
    """The course's app: every model with `app_label = "capstone"` belongs to it."""

    name = "capsite"
    label = LABEL
    verbose_name = "Capstone"
    path = os.path.dirname(os.path.abspath(__file__))
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        super().import_models()
        # The models are declared in the exercise's package, not in `capsite.models`.
        self.models_module = self.module


def setup(urls):
    """Configures Django for this test process (once), with the module `urls` as the URLconf."""
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="backendlings-course-only-not-a-secret-0123456789abcdef",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=urls,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "rest_framework.authtoken",
            "capsite.CapstoneConfig",
        ],
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
        ],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        AUTH_PASSWORD_VALIDATORS=[
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 10},
            },
            {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        REST_FRAMEWORK={},
    )
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    import importlib

    importlib.import_module(urls)


_created = set()


def create_tables():
    """Creates the tables of the models that have none yet."""
    from django.apps import apps
    from django.db import connection

    # Proxy models (DRF's `TokenProxy` for the admin) share their concrete model's table.
    missing = [m for m in apps.get_models() if m not in _created and not m._meta.proxy]
    if not missing:
        return
    with connection.schema_editor() as editor:
        for model in missing:
            editor.create_model(model)
            _created.add(model)


@pytest.fixture
def db():
    """A database for one test: everything it writes is rolled back at its end."""
    from django.db import transaction

    create_tables()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Queries:
    """Counts the SQL queries run inside `with queries:` (Django's `CaptureQueriesContext`)."""

    def __init__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    @property
    def count(self):
        return len(self.context.captured_queries)

    def report(self):
        return "\n".join(f"  {n}. {q['sql']}" for n, q in enumerate(self.context.captured_queries, 1))
