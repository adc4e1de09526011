"""Write src/keepwarm/store/compiled.py: the agenda's statements compiled to SQLite's SQL.

Run after changing keepwarm.store.sql, a model the agenda reads, or the migration HEAD;
tests/store/test_lite.py fails until you do.
"""

from pathlib import Path

from keepwarm.store.sql import compiled_module

TARGET = Path(__file__).resolve().parent.parent / "src" / "keepwarm" / "store" / "compiled.py"

if __name__ == "__main__":
    TARGET.write_text(compiled_module(), encoding="utf-8")
    print(f"wrote {TARGET}")
