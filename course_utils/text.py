"""Every learner- and instructor-facing string of course_utils, grouped by concern: one file to proofread.

Exercise hints and solutions stay with their lesson (`course_utils/exercises/`): they are lesson content.
Placeholders are `{name}` and are filled with `str.format` or the explainer's own filler. Terms: one per
concept, as listed in the README's developer part.
"""
from __future__ import annotations

# -- setup banner and modes (banner.py, modes.py) ---------------------------------------------------------

# -- API keys and .env (keys.py, environment.py) ----------------------------------------------------------

# -- replay and recordings (replay/) ----------------------------------------------------------------------

# -- error explanations (explanations.py, error_box.py, guards.py) ----------------------------------------

# -- widgets (widgets/) -----------------------------------------------------------------------------------

# -- catalogue tables and charts (catalog/, charts.py) ----------------------------------------------------

# -- instructor commands: doctor, record, CLI (doctor.py, record.py, __main__.py) ---------------------------

# -- class keys (class_keys/) -----------------------------------------------------------------------------
