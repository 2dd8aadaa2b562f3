import PollenHTTP
import XCTest
@testable import PollenSource

/// Text from outside is shown, never obeyed: every control character and bidirectional
/// override becomes a visible escape.
final class ExternalTextTests: XCTestCase {
    /// The Alpha Vantage key and AWS secrets, once loaded, never reach a terminal or a log.
    func testKnownSecretsAreRedacted() {
        KnownSecrets.add("AVKEYexternalTextTestSecret")
        XCTAssertEqual(ExternalText.escaped("key=AVKEYexternalTextTestSecret\u{1B}[2J"), "key=REDACTED\\x1B[2J")
    }

    func testControlCharactersAndOverridesAreEscaped() {
        XCTAssertEqual(ExternalText.escaped("IBM"), "IBM")
        XCTAssertEqual(ExternalText.escaped("\u{1B}]0;pwned\u{07}title"), "\\x1B]0;pwned\\x07title")
        XCTAssertEqual(ExternalText.escaped("\u{1B}[2Jcleared"), "\\x1B[2Jcleared")
        XCTAssertEqual(ExternalText.escaped("a\rb\u{7F}c\u{9B}d"), "a\\x0Db\\x7Fc\\x9Bd")
        XCTAssertEqual(ExternalText.escaped("abc\u{202E}fed"), "abc\\u{202E}fed")
        XCTAssertEqual(ExternalText.escaped("two\nlines\tand tab"), "two\nlines\tand tab")
        XCTAssertEqual(ExternalText.escaped("two\nlines", singleLine: true), "two\\x0Alines")
        XCTAssertEqual(ExternalText.escaped("naïve ✓ 株"), "naïve ✓ 株", "printable Unicode is kept")
    }
}
