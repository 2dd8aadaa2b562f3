import Foundation
import PollenSource
import XCTest

/// The hand-written payload files in `Fixtures/`, found next to this source file.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func parse(_ name: String, _ function: SourceFunction, symbol: String = "IBM") throws -> PayloadContent {
        PayloadParser.parse(try data(name), function: function, symbol: symbol)
    }
}

/// A payload outcome other than the one a test expected.
struct UnexpectedContent: Error, CustomStringConvertible {
    var description: String
}

/// The parsed payload in `content`; throws (failing the test) when it is anything else.
func parsed(_ content: PayloadContent) throws -> ParsedPayload {
    guard case .records(let payload) = content else { throw UnexpectedContent(description: "expected records, got \(content)") }
    return payload
}

/// The failure in `content`; throws (failing the test) when it is anything else.
func failure(_ content: PayloadContent) throws -> PayloadFailure {
    guard case .failed(let failure) = content else { throw UnexpectedContent(description: "expected a failure, got \(content)") }
    return failure
}
