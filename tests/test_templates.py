"""Templates are grouped by area as the code is: ``templates/<area>/`` holds an area's pages and
``templates/<area>/email/`` its emails, each with its three parts."""

from pathlib import Path

from matchmaker.paths import TEMPLATES_DIR

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaker"
AREAS = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}


def test_every_template_folder_is_an_area():
    folders = {p.name for p in TEMPLATES_DIR.iterdir() if p.is_dir()}
    assert folders and folders <= AREAS, folders - AREAS


def test_every_email_sits_in_its_areas_email_folder_with_its_three_parts():
    subjects = sorted(TEMPLATES_DIR.rglob("*.subject.txt"))
    assert subjects
    for subject in subjects:
        area, folder, _name = subject.relative_to(TEMPLATES_DIR).parts
        assert area in AREAS and folder == "email", subject
        stem = subject.name.removesuffix(".subject.txt")
        assert (subject.parent / f"{stem}.txt").is_file() and (subject.parent / f"{stem}.html").is_file(), subject
