"""Test settings: fast password hashing; the database comes from DATABASE_URL or a temporary SQLite file."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
