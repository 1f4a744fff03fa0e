"""`python -m giagen`: the command line."""

from .face.cli import main

main()
