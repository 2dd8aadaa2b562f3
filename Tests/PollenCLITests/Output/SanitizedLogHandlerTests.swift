import Logging
import PollenHTTP
import Synchronization
import XCTest
@testable import PollenCLI

/// A log record quotes what came from outside (a server's message, a table name): it reaches
/// standard error on one line, its escapes shown, not obeyed, and no known secret in it.
final class SanitizedLogHandlerTests: XCTestCase {
    func testALogLineIsEscapedRedactedAndOneLine() {
        KnownSecrets.add("wJalrXUtnFEMIlogHandlerTestSecret")
        let written = Mutex<[String]>([])
        var handler = SanitizedLogHandler(label: "pollen.dynamodb", logLevel: .debug)
        handler.write = { line in written.withLock { $0.append(line) } }
        handler[metadataKey: "table"] = "earnings"
        let logger = Logger(label: "pollen.dynamodb") { _ in handler }
        logger.warning("server said \u{1B}]0;pwned\u{07} with wJalrXUtnFEMIlogHandlerTestSecret\nsecond line",
                       metadata: ["attempt": "2"])
        let lines = written.withLock { $0 }
        XCTAssertEqual(lines.count, 1)
        let line = lines[0]
        XCTAssertTrue(line.hasSuffix("warning pollen.dynamodb: server said \\x1B]0;pwned\\x07 with REDACTED\\nsecond line "
                                     + "attempt=2 table=earnings\n"), line)
    }

    func testRecordsUnderTheLevelAreTheCallersToDrop() {
        let logger = Logger(label: "test") { label in SanitizedLogHandler(label: label, logLevel: .error) }
        XCTAssertEqual(logger.logLevel, .error)
    }
}
