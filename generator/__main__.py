"""Allow `python -m sdkforge` as an alias of the `sdkforge` command."""

from sdkforge.cli import run

if __name__ == "__main__":
    run()
