"""`python -m giagen`: the command line."""

from .cli import main

main()
