"""The machinery that runs the course: every ``python -m gdcourse <command>`` and what it needs.

Nothing a notebook imports lives here, and the library (everything in :mod:`gdcourse` outside
this package) never imports this package (``tests/test_layering.py`` checks both ways: in a
fresh interpreter, and statically over the library's sources). The line runs one way only:
commands import the library.

- :mod:`~gdcourse.commands.cli`: ``python -m gdcourse <command>`` (the ``gdcourse`` script);
  one line per command in ``COMMANDS``.
- :mod:`~gdcourse.commands.doctor`, :mod:`~gdcourse.commands.data`,
  :mod:`~gdcourse.commands.runner`, :mod:`~gdcourse.commands.site`,
  :mod:`~gdcourse.commands.progress`, :mod:`~gdcourse.commands.solutions`,
  :mod:`~gdcourse.commands.reset`, :mod:`~gdcourse.commands.report`: one module per command.
- :mod:`~gdcourse.commands.verified` (``verified_stacks.json``: the record of verified
  stacks) and :mod:`~gdcourse.commands.fork`: run as ``python -m gdcourse.commands.<name>``.

The learner's progress report itself is library code (:mod:`gdcourse.exercises.progress`,
``gdcourse.progress()``); :mod:`~gdcourse.commands.progress` only prints it in a terminal.
"""
