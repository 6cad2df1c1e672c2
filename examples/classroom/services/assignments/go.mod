module example.com/classroom/assignments

go 1.19
