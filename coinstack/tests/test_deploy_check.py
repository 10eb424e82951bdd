"""Production settings, checked the way a deployment meets them: in a fresh process, env only."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
# A deployment starts from a clean environment: only what finds programs and the locale is kept
# (a test run's own variables, such as DJANGO_ALLOW_ASYNC_UNSAFE set by a browser test, must not leak).
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in _KEPT if k in os.environ}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    env["COINSTACK_DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return _env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="coins.example.org", **extra)


def test_check_deploy_reports_nothing_with_production_defaults(tmp_path):
    result = _run([MANAGE, "check", "--deploy", "--fail-level", "WARNING"], _production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_switch_turns_off_https_only_settings(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env = _production(tmp_path, COINSTACK_PLAIN_HTTP="1", DJANGO_SETTINGS_MODULE="coinstack.settings")
    plain = _run(["-c", code], env)
    assert plain.stdout.split() == ["False", "False", "False", "0"], plain.stderr
    env.pop("COINSTACK_PLAIN_HTTP")
    secure = _run(["-c", code], env)
    assert secure.stdout.split() == ["True", "True", "True", "31536000"], secure.stderr
    # And check --deploy says so when HTTPS protections are off.
    warned = _run(
        [MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        _production(tmp_path, COINSTACK_PLAIN_HTTP="1"),
    )
    assert warned.returncode != 0
    assert "SECURE_SSL_REDIRECT" in warned.stderr + warned.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"ALLOWED_HOSTS": "coins.example.org"}, "Set SECRET_KEY"),
        ({"ALLOWED_HOSTS": "coins.example.org", "SECRET_KEY": "short"}, "Set SECRET_KEY"),
        (
            {
                "ALLOWED_HOSTS": "coins.example.org",
                "SECRET_KEY": "django-insecure-coinstack-development-only",
            },
            "Set SECRET_KEY",
        ),
        ({"SECRET_KEY": "k" * 20 + secrets.token_urlsafe(40)}, "Set ALLOWED_HOSTS"),
    ],
    ids=["no-secret", "short-secret", "development-secret", "no-hosts"],
)
def test_refuses_to_start_without_real_secret_and_hosts(tmp_path, extra, message):
    result = _run([MANAGE, "check"], _env(tmp_path, **extra))
    assert result.returncode != 0
    assert message in result.stderr


def test_earlier_secret_keys_come_from_the_environment(tmp_path):
    """After a key change, the old keys keep sessions and signed backups valid (SECRET_KEY_FALLBACKS)."""
    old = [secrets.token_urlsafe(40), secrets.token_urlsafe(40)]
    script = "from django.conf import settings; print(','.join(settings.SECRET_KEY_FALLBACKS))"
    result = _run(
        [MANAGE, "shell", "-c", script], _production(tmp_path, SECRET_KEY_FALLBACKS=f" {old[0]} , {old[1]}")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == ",".join(old)  # after the shell's own notice
