print("opening a missing file")
f = open("no_such_file_here.txt")
