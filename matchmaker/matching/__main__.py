"""`python -m matchmaker.matching`: the evaluation table on the documented partnerships.

The one entry point of the library that knows where the project keeps its data (matchmaker.paths: the
checkout's or the wheel's data folder, or MATCHMAKER_DATA_DIR); everything it calls takes the folder as input.
"""

from matchmaker.paths import DATA_DIR

from .evaluation import main

if __name__ == "__main__":
    main(data_dir=DATA_DIR)
