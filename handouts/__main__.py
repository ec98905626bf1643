"""``python -m handouts``: the same as the ``handouts`` command."""

from handouts.cli import main

if __name__ == "__main__":
    main()
