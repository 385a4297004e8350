import mod_errors


def run():
    mod_errors.fail("failure inside mod_errors")


print("running")
run()
