"""Compile every locale/**/LC_MESSAGES/*.po (the project's catalogue and locale/vendor's) to .mo
with polib, so no GNU gettext is needed."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"

for po_path in sorted(LOCALE.rglob("LC_MESSAGES/*.po")):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path}")
