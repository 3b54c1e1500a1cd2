from congdongso.cli import main

main()
