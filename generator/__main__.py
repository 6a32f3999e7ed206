"""Allow `python -m generator` as an alias of the `sdkforge` command."""

from generator.cli import run

if __name__ == "__main__":
    run()
