"""Class keys: one capped, expiring OpenRouter key per student, made with the instructor's Management key.

`python -m course_utils class-keys create | usage | disable | enable | delete` (cli.py). The modules:
api (the Management API over HTTP), create and manage (the commands), files (keys.csv and the printable
slips, owner-readable only), costs (the dry run's arithmetic), report (the usage table, chart and doctor's lines).
A created key goes from OpenRouter's response into DIR/keys.csv and DIR/slips.html, and nowhere else.
"""
