// swift-tools-version: 6.1
// ICCSim benchmarks (ordo-one/benchmark). Run from the repository root with `make bench`, or here
// with `swift package --allow-writing-to-package-directory benchmark`. Figures: docs/performance.md.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository was cloned.
let iccsim = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "ICCSimBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ICCSimBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SimKernel", package: iccsim),
                .product(name: "ICCSimCore", package: iccsim),
            ],
            path: "Benchmarks/ICCSimBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
