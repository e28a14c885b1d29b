"""The ``masthead`` command: Django's manage.py with Masthead's settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    if len(argv) > 1 and argv[1] == "serve":
        from masthead.server import serve

        sys.exit(serve(argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
