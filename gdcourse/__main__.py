from gdcourse.commands.cli import main

raise SystemExit(main())
