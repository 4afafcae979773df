from crossvet.cli import main

main()
