from readaloud.cli import main

main()
