"""``python -m leadharvest`` is the same program as the ``leadharvest`` script."""

from leadharvest.cli import main

main()
