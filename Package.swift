// swift-tools-version: 6.0
import PackageDescription

// Module map (arrows point one way):
//   pollen (executable) -> PollenCLI -> PollenTerminal -> PollenConsole -> PollenEngine (events)
//   PollenEngine -> PollenDynamoDB, PollenSource
//   PollenDynamoDB -> PollenAWS -> PollenHTTP -> CCurl (only PollenHTTP imports libcurl)
//   PollenTerminal -> CNcurses (only the terminal backend imports ncurses)
let package = Package(
    name: "Pollen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pollen", targets: ["pollen"]),
        .library(name: "PollenDynamoDB", targets: ["PollenDynamoDB"]),
        .library(name: "PollenSource", targets: ["PollenSource"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C shims: system libraries behind a small header each.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses",
                       providers: [.apt(["libncurses-dev"])]),

        // HTTP over libcurl: the one module that talks to CCurl.
        .target(name: "PollenHTTP", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // AWS plumbing shared by every AWS service client: credentials, config, SigV4.
        .target(name: "PollenAWS", dependencies: [
            "PollenHTTP",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The DynamoDB client: AttributeValue, operations, typed errors.
        .target(name: "PollenDynamoDB", dependencies: [
            "PollenAWS", "PollenHTTP", "CZlib",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // CloudWatch metrics (PutMetricData), on the same signing and transport.
        .target(name: "PollenCloudWatch", dependencies: ["PollenAWS", "PollenHTTP"]),
        // Alpha Vantage payloads: parsing and validation, the directory source, sample data.
        .target(name: "PollenSource", dependencies: ["PollenHTTP"]),
        // The upsert engine: source records to DynamoDB items, batched, retried, journaled.
        .target(name: "PollenEngine", dependencies: ["PollenSource", "PollenDynamoDB", "PollenCloudWatch", "PollenAWS",
                                                    "PollenHTTP", .product(name: "Crypto", package: "swift-crypto")]),
        // The operations console: a pure state and reducer over engine events, rendered into a
        // cell buffer; themes; the key map and its help.
        .target(name: "PollenConsole", dependencies: ["PollenEngine", .product(name: "Yams", package: "Yams")]),
        // The one backend that talks to the terminal: the only module that imports ncurses.
        .target(name: "PollenTerminal", dependencies: ["PollenConsole", "CNcurses"]),
        // Command line.
        .target(name: "PollenCLI", dependencies: [
            "PollenConsole", "PollenTerminal", "PollenEngine", "PollenDynamoDB", "PollenCloudWatch", "PollenAWS", "PollenHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "pollen", dependencies: ["PollenCLI"]),

        // Test doubles and helpers shared by the test targets.
        .target(name: "PollenTestSupport", dependencies: ["PollenHTTP", "PollenEngine", "PollenConsole"], path: "Tests/PollenTestSupport",
                exclude: ["Python"]),

        .testTarget(name: "PollenHTTPTests", dependencies: ["PollenHTTP", "PollenTestSupport"]),
        .testTarget(name: "PollenAWSTests", dependencies: ["PollenAWS", "PollenTestSupport"],
                    exclude: ["sigv4-testsuite"]),
        .testTarget(name: "PollenCloudWatchTests", dependencies: ["PollenCloudWatch", "PollenTestSupport"]),
        .testTarget(name: "PollenDynamoDBTests", dependencies: ["PollenDynamoDB", "PollenTestSupport"]),
        .testTarget(name: "PollenSourceTests", dependencies: ["PollenSource", "PollenTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "PollenEngineTests", dependencies: ["PollenEngine", "PollenTestSupport"]),
        .testTarget(name: "PollenConsoleTests", dependencies: ["PollenConsole", "PollenTestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "PollenCLITests", dependencies: ["PollenCLI", "PollenEngine", "PollenTestSupport"]),
    ]
)
