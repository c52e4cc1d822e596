"""Test settings: fast password hashing; the database comes from DATABASE_URL or a temporary SQLite file."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Jobs run inside the test's process and transaction (a child process could not see the test database); the
# queue is the database backend as in production, and tests run the worker themselves or pick the immediate one.
ZHAOSHANG_JOBS_IN_CHILD = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
