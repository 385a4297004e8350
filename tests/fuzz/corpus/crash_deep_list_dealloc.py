x=[]
for i in range(25000):x=[[[[x]]]]