from xl_addin.cli import main

raise SystemExit(main())
