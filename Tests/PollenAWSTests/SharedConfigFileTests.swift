import XCTest
@testable import PollenAWS

final class SharedConfigFileTests: XCTestCase {
    func testParsesSectionsCommentsAndNestedSettings() {
        let file = SharedConfigFile(text: """
            ; leading comment
            [profile dev]
            region = us-west-2 # trailing comment
            s3 =
              max_concurrent_requests = 20
            Output = json
            [default]
            region=eu-west-1
            """, path: "config", kind: .config)
        XCTAssertEqual(file.profile(named: "dev")?["region"], "us-west-2")
        XCTAssertEqual(file.profile(named: "dev")?["output"], "json", "keys are case-insensitive")
        XCTAssertNil(file.profile(named: "dev")?["max_concurrent_requests"], "indented sub-settings are not profile settings")
        XCTAssertEqual(file.profile(named: "default")?["region"], "eu-west-1")
        XCTAssertNil(file.profile(named: "missing"))
    }

    func testCredentialsFileUsesBareSectionNames() {
        let file = SharedConfigFile(text: "[dev]\naws_access_key_id = A\n[profile dev]\naws_access_key_id = B\n",
                                    path: "credentials", kind: .credentials)
        XCTAssertEqual(file.profile(named: "dev")?["aws_access_key_id"], "A")
    }

    func testMissingFileIsEmpty() throws {
        let file = try SharedConfigFile.load(path: "/nonexistent/pollen/config", kind: .config)
        XCTAssertNil(file.profile(named: "default"))
    }
}
