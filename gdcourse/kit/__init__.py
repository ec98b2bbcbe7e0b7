"""The classroom kit: a learner's progress record, the answer key, and notebook reset.

- :mod:`gdcourse.kit.progress`: ``gdcourse.progress()`` and ``python -m gdcourse progress`` show
  where a learner stands, read from the record every ``qN.check(...)`` appends to
  (:mod:`gdcourse.exercises.record`).
- :mod:`gdcourse.kit.solutions`: ``python -m gdcourse solutions`` types every published solution
  into its notebook's exercise cells, runs them, and fails when one does not PASS.
- :mod:`gdcourse.kit.reset`: ``python -m gdcourse reset NN`` restores a notebook as committed,
  after backing up the learner's copy.

The library side never imports this package: the exercise framework records through
:mod:`gdcourse.exercises.record`, and this package reads through that module.
"""
