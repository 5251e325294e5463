"""Sub-command groups of the ``pinocchio-eval`` CLI, one module per area."""
