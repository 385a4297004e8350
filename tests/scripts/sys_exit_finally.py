import sys


def main():
    try:
        print("in try")
        sys.exit(4)
    finally:
        print("finally runs on sys.exit")


try:
    main()
except SystemExit as e:
    print("caught SystemExit", e.code)
    raise
print("not printed")
