// swift-tools-version: 6.0
// ICCSim: a deterministic discrete-event simulator of an intelligent computing center.
// Module map and boundaries: docs/architecture.md.
import PackageDescription

let package = Package(
    name: "ICCSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "iccsim", targets: ["iccsim"]),
        .library(name: "SimKernel", targets: ["SimKernel"]),
        .library(name: "ICCSimCore", targets: ["Metrics", "Production", "Components", "Aggregation", "Failures", "Power", "Records", "Release", "Scenario", "Workloads", "Scheduling", "Center", "Configuration", "Traces", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C libraries (system packages libgsl-dev and libhdf5-dev; see the Makefile).
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"])]),

        // Every figure of summary.json, declared once (key, unit, direction, meaning).
        .target(name: "Metrics"),
        // The kernel: time, events, random streams, fluid activities. No domain knowledge.
        .target(name: "SimKernel", dependencies: ["CGSL"]),
        // Producing compute: the accelerator and server catalog, how work becomes time on a device.
        .target(name: "Production", dependencies: ["SimKernel"]),
        // How a model plugs into a run: the RunComponent protocol (hooks at job start, stop,
        // the scheduling pass, rate changes and the end of the run) and what it sees of a job.
        .target(name: "Components", dependencies: ["SimKernel", "Metrics", "Production", "Records", "Workloads", "Scheduling"]),
        // Failures and recovery as a run component: servers failing by class of part, hot
        // spares, checkpoints, and the failures' books.
        .target(name: "Failures", dependencies: ["SimKernel", "Metrics", "Production", "Records", "Components"]),
        // The facility's power, energy, cost and carbon (a run component).
        .target(name: "Power", dependencies: ["SimKernel", "Metrics", "Production", "Records", "Components"]),
        // Aggregating compute: fabrics, max-min link sharing, collectives; the shared fabric and
        // storage system under a run (run components).
        .target(name: "Aggregation", dependencies: ["SimKernel", "Metrics", "Production", "Records", "Workloads", "Components"]),
        // What a run writes: job rows, samples, deployments, requests, model versions, and the
        // sink protocol every writer implements.
        .target(name: "Records", dependencies: ["SimKernel", "Workloads"]),
        // Releasing compute: model versions, online inference serving, the service controller
        // (replicas, autoscaling, updates, lending) behind the engine's capacity broker.
        .target(name: "Release", dependencies: ["SimKernel", "Metrics", "Production", "Records", "Workloads",
                                               .product(name: "Histogram", package: "hdrhistogram-swift")]),
        // Scenario files: units, strict YAML decoding, overrides.
        .target(name: "Scenario", dependencies: ["SimKernel", "Metrics", "Production", "Aggregation", "Release", "Workloads", "Scheduling", .product(name: "Yams", package: "Yams")]),
        // Demand: job specs drawn from the scenario's distributions or lists.
        .target(name: "Workloads", dependencies: ["SimKernel", "Production"]),
        // Scheduling compute: the accelerator pool and queue policies.
        .target(name: "Scheduling", dependencies: ["SimKernel", .product(name: "DequeModule", package: "swift-collections"),
                                                  .product(name: "HeapModule", package: "swift-collections")]),
        // The run engine: the kernel model of the center (job table, scheduling pass, execution),
        // its shared resources and the summary. Never reads scenario files.
        .target(name: "Center", dependencies: ["SimKernel", "Metrics", "Production", "Components", "Records", "Release", "Workloads", "Scheduling",
                                              .product(name: "Histogram", package: "hdrhistogram-swift")]),
        // Configure, then run: turns a Scenario into the engine's domain values (pools, job
        // sources, fabric, storage, services, policies) and runs it; capacity planning.
        .target(name: "Configuration", dependencies: ["SimKernel", "Metrics", "Production", "Components", "Aggregation", "Failures", "Power", "Records", "Release", "Scenario",
                                                     "Workloads", "Scheduling", "Center", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        // Record sinks: HDF5 trace, summary.json / summary.md.
        .target(name: "Traces", dependencies: ["CHDF5", "Metrics", "Production", "Aggregation", "Records", "Release", "Center", "Reports", "Scenario", "Workloads", "Scheduling"]),
        // Comparison of summaries (regression gates), reports.
        .target(name: "Reports", dependencies: ["Scenario", "Metrics"]),
        // The command-line tool.
        .executableTarget(name: "iccsim", dependencies: [
            "SimKernel", "Metrics", "Production", "Aggregation", "Records", "Release", "Scenario", "Workloads", "Scheduling", "Center", "Configuration", "Traces", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
        .testTarget(name: "ProductionTests", dependencies: ["Production"]),
        .testTarget(name: "AggregationTests", dependencies: ["Aggregation", "Components", "Production", "Records", "Scheduling", "SimKernel", "Workloads"]),
        .testTarget(name: "ReleaseTests", dependencies: ["Release", "SimKernel", "Workloads"]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "Production", "SimKernel"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "SimKernel"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Production", "Workloads"]),
        .testTarget(name: "CenterTests", dependencies: ["Center", "Components", "Configuration", "Metrics", "Production", "Records", "Release", "Scenario", "Workloads", "Scheduling", "SimKernel"]),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "Center", "CHDF5", "Records"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Scenario"]),
        .testTarget(name: "CLITests", dependencies: ["iccsim"]),
    ]
)

// Release builds skip the run-time checks of exclusive access (Swift's law that a value is not
// read while an inout access modifies it): the compiler proves most accesses statically, and the
// checks left (class properties, globals, escaping closures) cost about a fifth of a large run's
// time (docs/performance.md). Debug builds, which run the tests, keep every check, so a
// violation still fails there.
for target in package.targets where target.type != .system && target.type != .test {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
