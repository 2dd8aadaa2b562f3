// swift-tools-version: 6.0
import PackageDescription

// Module map (arrows point one way):
//   pollen (executable) -> PollenCLI -> PollenConsole, PollenTerminal, PollenEngine
//   PollenEngine -> PollenDynamoDB, PollenSource
//   PollenDynamoDB -> PollenAWS -> PollenHTTP -> CCurl (only PollenHTTP imports libcurl)
//   PollenTerminal -> CNcurses (only the terminal backend imports ncurses)
let package = Package(
    name: "Pollen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pollen", targets: ["pollen"]),
        .library(name: "PollenDynamoDB", targets: ["PollenDynamoDB"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C shims: system libraries behind a small header each.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", pkgConfig: "ncursesw",
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
        // Alpha Vantage payloads: parsing and validation, the directory source, sample data.
        .target(name: "PollenSource", dependencies: ["PollenHTTP"]),
        // The upsert engine: source records to DynamoDB items, batched, retried, journaled.
        .target(name: "PollenEngine", dependencies: ["PollenSource", "PollenDynamoDB", "PollenAWS", "PollenHTTP"]),
        // Command line.
        .target(name: "PollenCLI", dependencies: [
            "PollenEngine", "PollenDynamoDB", "PollenAWS", "PollenHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "pollen", dependencies: ["PollenCLI"]),

        // Test doubles and helpers shared by the test targets.
        .target(name: "PollenTestSupport", dependencies: ["PollenHTTP"], path: "Tests/PollenTestSupport",
                exclude: ["Python"]),

        .testTarget(name: "PollenHTTPTests", dependencies: ["PollenHTTP", "PollenTestSupport"]),
        .testTarget(name: "PollenAWSTests", dependencies: ["PollenAWS", "PollenTestSupport"],
                    exclude: ["sigv4-testsuite"]),
        .testTarget(name: "PollenDynamoDBTests", dependencies: ["PollenDynamoDB", "PollenTestSupport"]),
        .testTarget(name: "PollenSourceTests", dependencies: ["PollenSource", "PollenTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "PollenCLITests", dependencies: ["PollenCLI", "PollenEngine", "PollenTestSupport"]),
    ]
)
