"""Test settings: fast password hashing; the database comes from DATABASE_URL or a temporary SQLite file."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Jobs run inside the test's process and transaction (a child process could not see the test database), and a
# queued job runs at once (immediate backend); the tests of the queue switch to the database or Redis backend and
# run the worker themselves.
ZHAOSHANG_JOBS_IN_CHILD = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Files the jobs keep (uploads, progress, error reports) go to a directory of this test run, not the user's data.
DATA_DIR = Path(tempfile.mkdtemp(prefix="zhaoshang-test-"))
# Figures are cached in this process's memory; the tests of the cache switch to Redis themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhaoshang-test"}}
