from gdcourse.cli import main

raise SystemExit(main())
