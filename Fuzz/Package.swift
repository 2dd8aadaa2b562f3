// swift-tools-version: 6.0
import Foundation
import PackageDescription

// libFuzzer targets for Pollen's parsers of untrusted bytes. A separate package, so that the
// main package's `swift build` / `swift test` never see the fuzzer flags. Build and run with
// `Fuzz/run [SECONDS]` (see Fuzz/README.md); every target is built with
// `-sanitize=fuzzer,address -parse-as-library` and defines `LLVMFuzzerTestOneInput`.

// A path dependency's identity is the last component of its path: the clone's folder name.
let pollenIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "PollenFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        // Declarations of libFuzzer's own entry points (header only).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        // Alpha Vantage payloads: PayloadParser.parse(_:function:symbol:).
        .executableTarget(name: "FuzzPayloadParser", dependencies: [
            "CLibFuzzer", .product(name: "PollenSource", package: pollenIdentity),
        ]),
        // DynamoDB JSON of one value: AttributeValue(jsonData:).
        .executableTarget(name: "FuzzAttributeValue", dependencies: [
            "CLibFuzzer", .product(name: "PollenDynamoDB", package: pollenIdentity),
        ]),
        // DynamoDB responses: the client's whole response path (checksum, status, error body,
        // output decoding) through a scripted transport.
        .executableTarget(name: "FuzzDynamoDBResponses", dependencies: [
            "CLibFuzzer", .product(name: "PollenDynamoDB", package: pollenIdentity),
        ]),
    ]
)
