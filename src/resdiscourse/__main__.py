"""``python -m resdiscourse``: the same as the ``resdiscourse`` command."""

from resdiscourse.cli.main import run

if __name__ == "__main__":
    run()
