import mod_main_guard

print(mod_main_guard.answer())
print(__name__)
if __name__ == "__main__":
    print("import_main_guard is the main script")
