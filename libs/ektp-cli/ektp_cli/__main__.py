from ektp_cli import main

raise SystemExit(main())
