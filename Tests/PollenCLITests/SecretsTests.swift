import Foundation
import PollenTestSupport
import XCTest

/// A run with known fake credentials and API key: everything printed and written (stdout,
/// stderr with trace logging, report, journal, events, cache) is searched for them.
final class SecretsTests: XCTestCase {
    static let secret = "wJalrSECRETpollen/K7MDENG+bPxRfiCYEXAMPLE"
    static let token = "FwoGZXIvYXdzTOKENpollen0123456789abcdef=="
    static let apiKey = "APIKEYpollenSecretCheck77"

    func testNoSecretInAnythingARunPrintsOrWrites() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 3)
        try harness.register(symbols)
        let fake = try PythonServer(script: "Tests/PollenTestSupport/Python/fake_alphavantage.py",
                                    arguments: [harness.sourceDirectory, Self.apiKey, "{}"], port: 0)
        defer { fake.stop() }
        let environment: [String: String?] = [
            "AWS_ACCESS_KEY_ID": "AKIDSECRETCHECK", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "ALPHAVANTAGE_API_KEY": Self.apiKey, "ALPHAVANTAGE_BASE_URL": "http://127.0.0.1:\(fake.port)/query",
        ]
        var printed = ""
        var directories: [String] = []
        for (name, arguments) in [
            ("plain", ["--source", harness.sourceDirectory, "--ui", "plain", "--log-level", "trace"]),
            ("json", ["--source", harness.sourceDirectory, "--ui", "json", "--dry-run"]),
            ("live", ["--source", "alphavantage", "--symbols", symbols.joined(separator: ","), "--fetch-rpm", "600",
                      "--ui", "json", "--log-level", "trace"]),
        ] {
            let directory = harness.runsDirectory + "/" + name
            directories.append(directory)
            let result = try harness.pollen(["backfill"] + arguments + ["--run-dir", directory], environment: environment)
            XCTAssertNotEqual(result.exitCode, 1, "\(name): \(result.stderr.suffix(500))")
            printed += result.output
        }
        printed += try harness.pollen(["assets", "list"], environment: environment).output
        printed += try harness.pollen(["tables", "describe", "--log-level", "trace"], environment: environment).output
        XCTAssertTrue(printed.contains("operation=BatchWriteItem"), "trace logging printed the client's request log")
        XCTAssertTrue(printed.contains("operation=DescribeTable"))
        var written = ""
        for directory in directories where FileManager.default.fileExists(atPath: directory) {
            for file in try FileManager.default.subpathsOfDirectory(atPath: directory) {
                written += (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
            }
        }
        XCTAssertGreaterThan(written.count, 1_000, "reports, journals and events were written")
        for (label, value) in [("secret access key", Self.secret), ("session token", Self.token), ("API key", Self.apiKey)] {
            XCTAssertFalse(printed.contains(value), "the \(label) was printed")
            XCTAssertFalse(written.contains(value), "the \(label) was written to a run file")
        }
    }
}
