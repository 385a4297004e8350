try:
    raise KeyboardInterrupt
except KeyboardInterrupt:
    print("KeyboardInterrupt caught")
raise NotImplementedError("feature X")
