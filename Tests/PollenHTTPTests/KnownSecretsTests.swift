import Foundation
import PollenHTTP
import XCTest

/// Secrets a process holds are redacted from any text that is written out.
final class KnownSecretsTests: XCTestCase {
    func testAKnownSecretIsRedactedWhereverItAppearsAndInItsJSONForm() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYknownSecretsTest"
        KnownSecrets.add(secret)
        XCTAssertEqual(KnownSecrets.redacted("signature for \(secret) twice \(secret)"),
                       "signature for REDACTED twice REDACTED")
        let json = "{\"message\":\"" + secret.replacingOccurrences(of: "/", with: "\\/") + "\"}"
        XCTAssertEqual(String(decoding: KnownSecrets.redacted(Data(json.utf8)), as: UTF8.self), "{\"message\":\"REDACTED\"}")
        XCTAssertEqual(KnownSecrets.redacted("nothing to hide"), "nothing to hide")
    }

    func testShortStringsAreNotTakenForSecrets() {
        KnownSecrets.add("testing")
        KnownSecrets.add(nil)
        XCTAssertEqual(KnownSecrets.redacted("testing the output"), "testing the output")
    }
}
