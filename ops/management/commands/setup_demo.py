"""First-run set-up for local use: a demo collection to look at and an admin login.

Idempotent: with coins already present it generates nothing, and an existing admin keeps its
password.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.models import Coin


class Command(BaseCommand):
    help = "Load a demo collection when the database has no coins, and create an 'admin' login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if Coin.objects.exists():
            self.stdout.write(
                f"The collection already holds {Coin.objects.count()} coins; no demo data added."
            )
        else:
            call_command("generate_collection", demo=True, stdout=self.stdout)

        password_file = settings.DATA_DIR / "admin-password.txt"
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            hint = f"the password in {password_file}" if password_file.exists() else "your password"
            self.stdout.write(
                f"Log in as '{username}' with {hint} "
                f"(reset it with: .venv/bin/python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the login '{username}' with password {password} (also in {password_file})."
            )
        )
