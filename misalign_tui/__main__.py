from misalign_tui.cli import main

raise SystemExit(main())
