"""``python -m screening`` runs the command line."""

from screening.cli import main

main()
