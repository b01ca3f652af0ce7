"""The README's quick start stays two commands that the Makefile really provides."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the quick start is one code block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_the_quick_start_is_exactly_two_commands():
    assert quick_start_commands() == ["make run", "make test"]


def test_the_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run:", "test:"):
        assert f"\n{target}" in makefile
