"""`python -m matchmaker.matching`: the evaluation table on the documented partnerships."""
from .evaluation import main

main()
