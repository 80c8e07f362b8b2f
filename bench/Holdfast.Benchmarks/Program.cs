using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Holdfast.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Holdfast.Benchmarks.QueryPathBenchmarks).Assembly).Run(args);
