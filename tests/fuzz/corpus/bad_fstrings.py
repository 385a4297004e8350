x = 1
print(f'{x!z}')
print(f'{')
print(f'}')
print(f'{x:{x:{x}}}')
print(f'{}')
