module casegraph/benchmarks/loadgen

go 1.26
