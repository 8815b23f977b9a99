from workshop.cli import main

main(prog_name="workshop")
