line = "  Name: Alice ; Age: 30 ; City: Paris  "
fields = [f.strip() for f in line.strip().split(";")]
print(fields)
record = {}
for f in fields:
    key, _, value = f.partition(":")
    record[key.strip().lower()] = value.strip()
print(record)
csv = "id,name,score\n1,ann,90\n2,bob,85\n"
rows = [r.split(",") for r in csv.splitlines()]
print(rows)
header, *data = rows
print([dict(zip(header, r)) for r in data])
print("Title Case Words".lower().replace(" ", "_"))
print("{:<6}|{:>4}".format("ann", 90))
print("x".isdigit() or "5".isdigit())
