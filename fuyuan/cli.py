"""The ``fuyuan`` command: Django's management commands with Fuyuan's settings preset (SPEC §9)."""

import os
import sys

# SPEC §9 names commands with hyphens; Django's command modules use underscores.
HYPHENATED = {
    "import-cases": "import_cases",
    "import-officers": "import_officers",
    "audit-verify": "audit_verify",
    "create-administrator": "create_administrator",
    "rekey-personal-data": "rekey_personal_data",
    "api-token": "api_token",
    "risk-train": "risk_train",
}
# The commands that serve or send: they check first that the keys open the stored personal data (core.startup).
SERVING = {"runserver", "worker", "sweep", "send_notifications"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyuan.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in HYPHENATED:
        argv[1] = HYPHENATED[argv[1]]
    argv[0] = "fuyuan"
    if len(argv) > 1 and argv[1] in SERVING:
        refuse_to_start_with_wrong_keys()
    execute_from_command_line(argv)


def refuse_to_start_with_wrong_keys() -> None:
    """Exit with the one-line reason when the current keys do not open the personal data already stored."""
    import django

    django.setup()
    from django.db import connection

    from fuyuan.core.startup import key_mismatch

    reason = key_mismatch()
    connection.close()
    if reason:
        print(reason, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
