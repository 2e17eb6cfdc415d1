"""Plans written after the release: loading rubric modules from configured folders, scaffolding,
checking and comparing them (``thidua-xl new-plan``, ``check-plan``, ``diff-plan``).

Only :mod:`.loader` is imported by the registry; the other modules serve the commands.
"""
