from ldl.cli import main

main()
