"""Every learner- and instructor-facing string of course_utils lives in course_utils/text.py (one home).

Exercise hints and solutions are lesson content and stay in course_utils/exercises/. A Japanese string literal
anywhere else in the package fails this test, naming the file and line, so a proofreader reads one file.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "course_utils"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


def japanese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in `source` that holds Japanese (kana, kanji, full-width forms).

    Docstrings are left out: they are English and may quote a label (「送信」) to say which button they mean.
    """
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and JAPANESE.search(node.value)]


def test_japanese_text_lives_in_the_text_module() -> None:
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {value[:30]!r}"
             for path in sorted(PACKAGE.rglob("*.py"))
             if path.name != "text.py" or path.parent != PACKAGE
             if "exercises" not in path.relative_to(PACKAGE).parts
             for line, value in japanese_literals(path.read_text(encoding="utf-8"))]
    assert found == [], "Japanese text outside course_utils/text.py:\n" + "\n".join(found)


def test_the_check_sees_japanese_but_not_english_or_comments() -> None:
    source = ('"""Docstring naming 送信."""\nMESSAGE = "キーがありません"\n'
              'OTHER = "plain English"  # 日本語のコメント\nWIDE = "（）"\n')
    assert japanese_literals(source) == [(2, "キーがありません"), (4, "（）")]
