"""``python -m nlwire`` runs the ``nlwire`` command."""

from nlwire.cli import main

raise SystemExit(main())
