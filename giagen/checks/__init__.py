"""The checks: cross-sum rules, completeness, prose against tables, local rules, copies, what reading saw."""
