x=[]
for i in range(5000):x=[[[[x]]]]
x==[[[[x]]]]
