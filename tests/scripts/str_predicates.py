samples = ["123", "12.3", "abc", "abc123", "ABC", " ", "\t\n", "", "a b", "٣", "é"]
for s in samples:
    print(repr(s), s.isdigit(), s.isalpha(), s.isspace(), s.isalnum())
