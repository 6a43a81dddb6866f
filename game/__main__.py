"""``python -m game`` runs the same command line as ``powerplay``."""

from game.cli import main

if __name__ == "__main__":
    main()
