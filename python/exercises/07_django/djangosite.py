"""The course's Django project in one file: settings, an app for your models, tables, fixtures.

Read it, do not edit it (the course's copy is the one that runs). A real project has
`settings.py`, `urls.py`, an app with `models.py` and migrations, and `manage.py test`; here the
test file calls `setup(...)` once, before it imports your module, and this module plays all of
those parts:

- **Settings** (https://docs.djangoproject.com/en/5.2/topics/settings/#using-settings-without-setting-django-settings-module):
  `settings.configure(...)` then `django.setup()`: an in-memory SQLite database, the contrib
  apps (auth, contenttypes, sessions; messages and admin when the exercise asks for the
  admin), Django REST framework, and one app of the course whose label is `lessons`.
- **Your models** declare `class Meta: app_label = "lessons"`: that is how Django knows which
  installed app a model belongs to when its module is not an app's `models.py`.
- **Tables**: instead of migrations, `create_tables()` asks the schema editor to create the
  table of every model that has none yet (what `migrate --run-syncdb` does for apps without
  migrations), then (for the exercises that use them) creates the content types and the
  default permissions (`add_`, `change_`, `delete_`, `view_<model>`, plus your
  `Meta.permissions`), as `migrate` does after it runs.
- **Your module is the URLconf** (`ROOT_URLCONF`): its `urlpatterns` are the site's URLs.
  `setup()` imports it once Django is ready, so its models are registered.
- **Test isolation**: the `db` fixture runs each test inside a transaction that is rolled back
  at its end, as `django.test.TestCase` does, and empties the cache (throttling keeps its
  counters there).
- Passwords are hashed with MD5 *in the tests only*, because PBKDF2's 1,000,000 iterations
  would make every login slow; production keeps the default (PBKDF2 or Argon2).

This module is trusted course code: it may change settings. Your code may not (see the rule
book): a verdict must not depend on what the code under test configured.
"""

import os

import django
import pytest
from django.apps import AppConfig
from django.conf import settings

LABEL = "lessons"


class LessonsConfig(AppConfig):
    """The course's app: every model with `app_label = "lessons"` belongs to it."""

    name = "djangosite"
    label = LABEL
    verbose_name = "Lessons"
    path = os.path.dirname(os.path.abspath(__file__))
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        super().import_models()
        # The models are declared in the exercise's module, not in `djangosite.models`; this
        # tells `create_permissions` and `create_contenttypes` that the app has models.
        self.models_module = self.module


_permissions = False


def setup(urls, rest_framework=None, admin=False, permissions=False):
    """Configures Django for this test process (once), with the module `urls` as the URLconf,
    `rest_framework` as DRF's settings, the admin (and its messages) only when `admin` is true,
    and the content types and permissions in the database only when `permissions` is true (a
    check that does not use them does not pay for them)."""
    global _permissions
    if settings.configured:
        return
    _permissions = permissions or admin
    installed = [
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        *(["django.contrib.messages", "django.contrib.admin"] if admin else []),
        "rest_framework",
        "djangosite.LessonsConfig",
    ]
    middleware = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        *(["django.contrib.messages.middleware.MessageMiddleware"] if admin else []),
    ]
    processors = [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        *(["django.contrib.messages.context_processors.messages"] if admin else []),
    ]
    settings.configure(
        DEBUG=False,
        SECRET_KEY="backendlings-course-only-not-a-secret-0123456789abcdef",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=urls,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=installed,
        MIDDLEWARE=middleware,
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": processors},
            }
        ],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        AUTH_PASSWORD_VALIDATORS=[
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 10},
            },
            {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        REST_FRAMEWORK=rest_framework or {},
    )
    django.setup()
    from django.test.utils import setup_test_environment

    # What `manage.py test` does first: the test client records templates and contexts,
    # e-mail goes to a list in memory.
    setup_test_environment()
    # The URLconf is the exercise's module: importing it now registers its models before any
    # table is created, even when the test file itself imports nothing from it.
    import importlib

    importlib.import_module(urls)


_created = set()


def create_tables():
    """Creates the missing tables, content types and permissions (see the module's docstring)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.db import connection

    missing = [m for m in apps.get_models() if m not in _created]
    if not missing:
        return
    with connection.schema_editor() as editor:
        for model in missing:
            editor.create_model(model)
            _created.add(model)
    if _permissions:
        for config in apps.get_app_configs():
            create_contenttypes(config, verbosity=0)
            create_permissions(config, verbosity=0)


@pytest.fixture
def db():
    """A database for one test: everything it writes is rolled back at its end."""
    from django.core.cache import cache
    from django.db import transaction

    create_tables()
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


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

    @property
    def sql(self):
        return [q["sql"] for q in self.context.captured_queries]

    def report(self):
        return "\n".join(f"  {n}. {sql}" for n, sql in enumerate(self.sql, 1))
