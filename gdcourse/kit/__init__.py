"""The classroom kit: a learner's progress record, the answer key, and notebook reset.

- :mod:`gdcourse.kit.progress`: every ``qN.check(...)`` appends its verdict to a small local
  record; ``gdcourse.progress()`` and ``python -m gdcourse progress`` show where a learner stands.
- :mod:`gdcourse.kit.solutions`: ``python -m gdcourse solutions`` types every published solution
  into its notebook's exercise cells, runs them, and fails when one does not PASS.
- :mod:`gdcourse.kit.reset`: ``python -m gdcourse reset NN`` restores a notebook as committed,
  after backing up the learner's copy.

This package imports nothing heavy: :mod:`gdcourse.exercises` records through it.
"""
