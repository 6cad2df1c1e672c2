module example.com/classroom/progress

go 1.19
