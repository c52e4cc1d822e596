"""Settings shared by every environment; everything that varies is read from the environment."""

import contextlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("ZHAOSHANG_DATA_DIR") or Path.home() / ".local" / "share" / "zhaoshang").expanduser()
# The SQLite file, previews and reports live here: a first command on a new machine creates it rather than failing
# with "unable to open database file".
# (A read-only home: the database URL or ZHAOSHANG_DATA_DIR must point elsewhere, and Django will say so.)
with contextlib.suppress(OSError):
    DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks",
    "zhaoshang.common",
    "zhaoshang.jobs",
    "zhaoshang.reference",
    "zhaoshang.accounts",
    "zhaoshang.units",
    "zhaoshang.projects",
    "zhaoshang.leads",
    "zhaoshang.stats",
    "zhaoshang.race",
    "zhaoshang.imports",
    "zhaoshang.chains",
    "zhaoshang.bulletins",
    "zhaoshang.intake",
    "zhaoshang.api",
    "axes",
    "zhaoshang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhaoshang.common.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.web.context.desk",
            ],
        },
    },
]


def database_config() -> dict:
    url = env("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "zhaoshang.sqlite3",
        # WAL: pages (and a job's progress) can still be read while a background import holds the write lock for
        # its one transaction; IMMEDIATE takes that lock at BEGIN, so a second writer waits (up to `timeout`
        # seconds) instead of failing at once on a lock upgrade.
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30},
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one address the
# pair is locked for AXES_COOLOFF_HOURS hours; a city administrator can lift it in the admin (访问尝试).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Behind a TLS-terminating reverse proxy (the README has an nginx site): how many trusted proxies stand in front of
# the site, so each login is locked by the client's own address and not the proxy's (zhaoshang.common.proxy);
# 0 when browsers reach the site directly. The production settings also trust X-Forwarded-Proto from the proxy.
ZHAOSHANG_PROXY_COUNT = int(env("ZHAOSHANG_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "zhaoshang.common.proxy.client_address"
# The site's public origins when it is served under another name or port than it sees, e.g. https://zs.example.gov.cn
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("DJANGO_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

CSRF_FAILURE_VIEW = "zhaoshang.web.views.csrf_failure"

# An uploaded file is read in a child process limited to this much address space (RLIMIT_AS) and this many
# seconds; a file that exceeds them ends only that child and is refused as 「文件无法安全读取」.
IMPORT_READ_MEMORY_BYTES = int(float(env("ZHAOSHANG_IMPORT_READ_MEMORY_MB", "1536")) * 1024 * 1024)
IMPORT_READ_SECONDS = float(env("ZHAOSHANG_IMPORT_READ_SECONDS", "120"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries copied from npm by ./run (echarts.min.js in vendor/), served by the app itself.
STATICFILES_DIRS = [BASE_DIR / "zhaoshang" / "static"]

# The home city whose registry this installation keeps (GB/T 2260), and its province.
ZHAOSHANG_CITY_CODE = env("ZHAOSHANG_CITY_CODE", "330400")
ZHAOSHANG_PROVINCE_CODE = env("ZHAOSHANG_PROVINCE_CODE", "330000")

# Background jobs (imports, bulletins, reconciliation, pushes, synth) through Django's tasks API (the django-tasks
# backport on Django 5.2). ZHAOSHANG_TASKS picks the backend: "db" (default) keeps the queue in this database,
# nothing else to start but `zhaoshang worker`; "rq" uses Redis (REDIS_URL) through django-tasks-rq for a larger
# installation; "immediate" runs each job inside the request (no worker; for tests and trials only).
ZHAOSHANG_TASKS = env("ZHAOSHANG_TASKS", "db")
if ZHAOSHANG_TASKS == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 7200}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif ZHAOSHANG_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    INSTALLED_APPS += ["django_tasks_db"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A job runs in a child process with these limits (the worker's and the command line's alike), so running out of
# memory or time ends that process only.
ZHAOSHANG_JOBS_IN_CHILD = env_bool("ZHAOSHANG_JOBS_IN_CHILD", True)
ZHAOSHANG_JOB_MEMORY_MB = int(env("ZHAOSHANG_JOB_MEMORY_MB", "2048"))
ZHAOSHANG_JOB_TIME_LIMIT = int(env("ZHAOSHANG_JOB_TIME_LIMIT", "3600"))
ZHAOSHANG_JOBS_KEEP_DAYS = int(env("ZHAOSHANG_JOBS_KEEP_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# The font file the bulletin's charts draw Chinese with; empty: found under /usr/share/fonts (Noto CJK, WenQuanYi).
BULLETIN_CJK_FONT = env("ZHAOSHANG_CJK_FONT")
