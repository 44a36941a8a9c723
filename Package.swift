// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every target: Swift 6 language mode plus `ExistentialAny` (see docs/style notes).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Palisade",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "palisade", targets: ["palisade"]),
        .executable(name: "palisade-bench", targets: ["palisade-bench"]),
        .library(name: "PalisadeModel", targets: ["PalisadeModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    ],
    targets: [
        // Layer 0: the neutral resource graph. Depends on nothing of ours.
        .target(name: "PalisadeModel", swiftSettings: strict),
        // Layer 1: producers and consumers of the graph. Each depends only on the model.
        .target(
            name: "PalisadeSpec",
            dependencies: ["PalisadeModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(name: "PalisadeARM", dependencies: ["PalisadeModel"], swiftSettings: strict),
        .target(name: "PalisadeNetwork", dependencies: ["PalisadeModel"], swiftSettings: strict),
        // Bicep front end: compiles .bicep/.bicepparam into the template model the ARM evaluator expands.
        .target(name: "PalisadeBicep", dependencies: ["PalisadeModel", "PalisadeARM", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        // Terraform configurations and plans; the ARM importer only for embedded template deployments.
        .target(
            name: "PalisadeTerraform",
            dependencies: ["PalisadeModel", "PalisadeARM", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(name: "PalisadeReport", dependencies: ["PalisadeModel"], swiftSettings: strict),
        .target(name: "PalisadeRules", dependencies: ["PalisadeModel", "PalisadeNetwork"], swiftSettings: strict),
        // Live estates: Azure Resource Graph and ARM reads, authentication, snapshots and drift.
        .target(name: "PalisadeAudit", dependencies: ["PalisadeModel", "PalisadeARM"], swiftSettings: strict),
        // Layer 2: the HTML report combines plan, reach and check results.
        .target(
            name: "PalisadeHTML",
            dependencies: ["PalisadeModel", "PalisadeNetwork", "PalisadeRules", "PalisadeReport"],
            swiftSettings: strict
        ),
        .target(
            name: "PalisadeRender",
            dependencies: [
                "PalisadeModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: strict
        ),
        // Layer 2: change review (differential reachability, findings and resources before/after, proven fixes).
        .target(
            name: "PalisadeDiff",
            dependencies: ["PalisadeModel", "PalisadeNetwork", "PalisadeRules", "PalisadeReport", "PalisadeRender", "PalisadeSpec"],
            swiftSettings: strict
        ),
        // Layer 2: the thin command-line front end.
        .executableTarget(
            name: "palisade",
            dependencies: [
                "PalisadeModel", "PalisadeSpec", "PalisadeARM", "PalisadeBicep", "PalisadeNetwork", "PalisadeReport", "PalisadeRules",
                "PalisadeRender", "PalisadeHTML", "PalisadeAudit", "PalisadeTerraform", "PalisadeDiff",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The benchmark: a synthetic hub-and-spoke estate, timed (never a unit test).
        .executableTarget(
            name: "palisade-bench", dependencies: ["PalisadeModel", "PalisadeNetwork", "PalisadeARM", "PalisadeBicep", "PalisadeRules", "PalisadeAudit", "PalisadeTerraform", "PalisadeDiff", "PalisadeHTML"],
            swiftSettings: strict
        ),
        // The fuzz target: replays files by default; scripts/fuzz.sh builds it with libFuzzer.
        .executableTarget(name: "palisade-fuzz", dependencies: ["PalisadeModel", "PalisadeARM", "PalisadeSpec"], swiftSettings: strict),
        .testTarget(name: "PalisadeModelTests", dependencies: ["PalisadeModel"], swiftSettings: strict),
        .testTarget(name: "PalisadeSpecTests", dependencies: ["PalisadeSpec", "PalisadeModel"], swiftSettings: strict),
        .testTarget(name: "PalisadeARMTests", dependencies: ["PalisadeARM", "PalisadeModel"], swiftSettings: strict),
        .testTarget(name: "PalisadeBicepTests", dependencies: ["PalisadeBicep", "PalisadeARM", "PalisadeModel", "PalisadeRules"],
                    swiftSettings: strict),
        .testTarget(
            name: "PalisadeNetworkTests",
            dependencies: [
                "PalisadeNetwork", "PalisadeModel", "PalisadeSpec",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PalisadeRulesTests",
            dependencies: ["PalisadeRules", "PalisadeModel", "PalisadeSpec", "PalisadeNetwork", "PalisadeARM", "PalisadeRender", "PalisadeDiff"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PalisadeRenderTests",
            dependencies: ["PalisadeRender", "PalisadeModel", "PalisadeSpec", "PalisadeARM"],
            resources: [.copy("Snapshots")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PalisadeHTMLTests",
            dependencies: ["PalisadeHTML", "PalisadeModel", "PalisadeSpec", "PalisadeNetwork", "PalisadeRules", "PalisadeReport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PalisadeTerraformTests",
            dependencies: ["PalisadeTerraform", "PalisadeModel", "PalisadeSpec", "PalisadeRender", "PalisadeARM", "PalisadeRules", "PalisadeNetwork"],
            swiftSettings: strict
        ),
        .testTarget(name: "PalisadeCLITests", dependencies: ["palisade"], swiftSettings: strict),
        .testTarget(
            name: "PalisadeAuditTests", dependencies: ["PalisadeAudit", "PalisadeARM", "PalisadeModel", "PalisadeSpec", "palisade"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PalisadeDiffTests",
            dependencies: [
                "PalisadeDiff", "PalisadeModel", "PalisadeNetwork", "PalisadeRules", "PalisadeSpec", "PalisadeARM",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
