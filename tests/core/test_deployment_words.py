"""The words the code can show are the deployment's (``core.deployment``), not the seeds': a template or a script
names no place of the seeds, and a string in the code names one only as a mechanism's origin ("源自黔南州…").
Docstrings, comments, the demo data and the migrations are not shown as the deployment's words and are not read."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.seeds import SEED_PLACES, seed_places_in

PACKAGE = Path(__file__).resolve().parents[2] / "fuyuan"
ORIGIN = "源自"


def shown_files() -> list[Path]:
    return sorted([*(PACKAGE / "templates").rglob("*.html"), *(PACKAGE / "static" / "js").glob("*.js")])


def code_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if not {"demo", "migrations"} & set(p.relative_to(PACKAGE).parts))


def strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module (an f-string's literal parts too), without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def not_as_origin(text: str) -> list[str]:
    """The seeds' places ``text`` names other than right after "源自"."""
    named = []
    for place in SEED_PLACES:
        start = text.find(place)
        while start != -1:
            if not text[:start].endswith(ORIGIN):
                named.append(place)
            start = text.find(place, start + 1)
    return named


def test_no_template_or_script_names_a_place_of_the_seeds() -> None:
    files = shown_files()
    assert len(files) > 50  # the templates were found

    named = {str(p.relative_to(PACKAGE)): seed_places_in(p.read_text(encoding="utf-8")) for p in files}

    assert {path: places for path, places in named.items() if places} == {}


def test_a_string_in_the_code_names_a_place_of_the_seeds_only_as_an_origin() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in code_files()
        for line, text in strings(path)
        if not_as_origin(text)
    ]

    assert found == []


def test_the_origin_check_tells_an_origin_from_an_owner() -> None:
    assert not_as_origin("云岭州规定：开庭前一周提醒（源自黔南州“两提两核一直达”）") == []
    assert not_as_origin("黔南州规定：开庭前一周提醒") == ["黔"]
    assert not_as_origin("案号，如（2026）黔2701行初15号") == ["黔"]
    assert not_as_origin("被告，如都匀市自然资源局") == ["都匀"]
