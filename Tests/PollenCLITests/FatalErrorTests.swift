import Foundation
import PollenTestSupport
import XCTest

/// Missing credentials, missing region and unreachable endpoints end a command with one clear
/// sentence and exit code 1, never a stack trace; secrets are never printed.
final class FatalErrorTests: XCTestCase {
    static let secret = "SECRETpollenDoNotPrint0123456789abcdefXYZ"
    static let token = "TOKENpollenDoNotPrint9876543210"

    func pollen(_ arguments: [String], environment: [String: String?]) throws -> ProcessResult {
        var clean: [String: String?] = ["AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": nil, "AWS_SESSION_TOKEN": nil,
                                        "AWS_REGION": nil, "AWS_DEFAULT_REGION": nil, "AWS_PROFILE": nil,
                                        "AWS_ENDPOINT_URL": nil, "AWS_ENDPOINT_URL_DYNAMODB": nil,
                                        "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials"]
        clean.merge(environment) { $1 }
        return try ProcessRunner.run(RepositoryPaths.pollenExecutable, arguments, environment: clean)
    }

    func assertOneSentenceFailure(_ result: ProcessResult, mentioning words: [String],
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.exitCode, 1, result.output, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("pollen: "), result.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(result.stderr.contains(word), "\(word) in \(result.stderr)", file: file, line: line) }
        for forbidden in ["Fatal error", "Stack dump", "0x0000", Self.secret, Self.token] {
            XCTAssertFalse(result.output.contains(forbidden), forbidden, file: file, line: line)
        }
    }

    func testMissingCredentials() throws {
        let result = try pollen(["tables", "describe"], environment: ["AWS_REGION": "us-east-1"])
        assertOneSentenceFailure(result, mentioning: ["No AWS credentials", "AWS_ACCESS_KEY_ID"])
    }

    func testMissingRegion() throws {
        let result = try pollen(["tables", "describe"],
                                environment: ["AWS_ACCESS_KEY_ID": "AKIDX", "AWS_SECRET_ACCESS_KEY": Self.secret])
        assertOneSentenceFailure(result, mentioning: ["No AWS region", "--region"])
    }

    func testUnreachableEndpoint() throws {
        let port = try FreePort.find()
        let result = try pollen(["tables", "create", "--endpoint-url", "http://127.0.0.1:\(port)"],
                                environment: ["AWS_ACCESS_KEY_ID": "AKIDX", "AWS_SECRET_ACCESS_KEY": Self.secret,
                                              "AWS_SESSION_TOKEN": Self.token, "AWS_REGION": "us-east-1"])
        assertOneSentenceFailure(result, mentioning: ["Cannot reach DynamoDB", "127.0.0.1:\(port)"])
    }

    func testPlainHTTPToRemoteHostIsRefused() throws {
        let result = try pollen(["tables", "describe", "--endpoint-url", "http://dynamodb.example.com"],
                                environment: ["AWS_ACCESS_KEY_ID": "AKIDX", "AWS_SECRET_ACCESS_KEY": Self.secret,
                                              "AWS_REGION": "us-east-1"])
        assertOneSentenceFailure(result, mentioning: ["--allow-insecure-endpoint"])
    }

    func testUnknownProfileAndBadEndpoint() throws {
        assertOneSentenceFailure(try pollen(["tables", "describe", "--profile", "ghost"], environment: [:]),
                                 mentioning: ["ghost"])
        assertOneSentenceFailure(try pollen(["tables", "describe", "--endpoint-url", "localhost:8000"],
                                            environment: ["AWS_ACCESS_KEY_ID": "AKIDX", "AWS_SECRET_ACCESS_KEY": Self.secret,
                                                          "AWS_REGION": "us-east-1"]),
                                 mentioning: ["localhost:8000"])
    }

    func testSecretsNeverAppearInAnythingPrintedOnSuccessEither() throws {
        let server = try LocalDynamoDB()
        defer { server.stop() }
        let home = TemporaryDirectory()
        let credentials = try home.write("[ops]\naws_access_key_id = AKIDFILE\naws_secret_access_key = \(Self.secret)\naws_session_token = \(Self.token)\n",
                                         to: "credentials")
        let environments: [[String: String?]] = [
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
             "AWS_REGION": "us-east-1"],
            ["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_PROFILE": "ops", "AWS_REGION": "us-east-1"],
        ]
        for environment in environments {
            for arguments in [["tables", "create"], ["tables", "describe"], ["tables", "describe", "--help"]] {
                let result = try pollen(arguments + ["--endpoint-url", server.endpoint], environment: environment)
                XCTAssertNotEqual(result.exitCode, 1, result.output)
                XCTAssertFalse(result.output.contains(Self.secret), "secret printed by \(arguments)")
                XCTAssertFalse(result.output.contains(Self.token), "token printed by \(arguments)")
            }
        }
    }
}
