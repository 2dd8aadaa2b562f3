import Foundation
import XCTest
@testable import PollenAWS

/// AWS's public SigV4 test vectors (Apache-2.0, from botocore), copied into
/// `sigv4-testsuite/`. Each case gives a raw request and the expected canonical request,
/// string to sign and `Authorization` header.
///
/// `post-sts-header-after` is left out: it signs without the session token and adds it
/// afterwards, which DynamoDB does not accept; `post-sts-header-before` is the form we use.
final class SigV4TestSuiteTests: XCTestCase {
    static let suite = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sigv4-testsuite")
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let vanillaToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

    /// Every folder holding a `.req` file.
    static func cases() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: suite, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "req" }
            .map { $0.deletingLastPathComponent() }.sorted { $0.path < $1.path }
    }

    func testEveryVectorMatchesCanonicalRequestStringToSignAndAuthorization() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 30, "the copied test suite is incomplete")
        for folder in cases {
            let name = folder.lastPathComponent
            func expected(_ ext: String) throws -> String {
                try String(contentsOf: folder.appendingPathComponent("\(name).\(ext)"), encoding: .utf8)
            }
            var input = try RawRequest.parse(try expected("req"))
            let token: String? = name == "get-vanilla-with-session-token" ? Self.vanillaToken
                : input.headers.first { $0.name.lowercased() == "x-amz-security-token" }?.value
            if name == "get-vanilla-with-session-token" {
                input.headers.append((name: "X-Amz-Security-Token", value: Self.vanillaToken))
            }
            let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret,
                                                                 sessionToken: token),
                                     region: "us-east-1", service: "service")
            let timestamp = SigV4Timestamp(dateTime: "20150830T123600Z")
            let canonical = CanonicalRequest(input, unsignedHeaders: SigV4Signer.unsignedHeaders)
            XCTAssertEqual(canonical.text, try expected("creq"), "canonical request of \(name)")
            let scope = "20150830/us-east-1/service/aws4_request"
            XCTAssertEqual(signer.stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope),
                           try expected("sts"), "string to sign of \(name)")
            XCTAssertEqual(signer.authorization(for: input, timestamp: timestamp), try expected("authz"),
                           "Authorization of \(name)")
        }
    }

    func testTimestampFormatsUTC() {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: 1_440_938_160))  // 2015-08-30 12:36:00 UTC
        XCTAssertEqual(timestamp.dateTime, "20150830T123600Z")
        XCTAssertEqual(timestamp.date, "20150830")
    }
}

/// Parses the test suite's raw HTTP request files.
enum RawRequest {
    static func parse(_ text: String) throws -> SigningInput {
        let (head, body): (Substring, Substring) = {
            if let range = text.range(of: "\n\n") { return (text[..<range.lowerBound], text[range.upperBound...]) }
            return (Substring(text), "")
        }()
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if target.hasSuffix(" HTTP/1.1") { target.removeLast(" HTTP/1.1".count) }
        let (path, query): (String, String) = {
            guard let question = target.firstIndex(of: "?") else { return (target, "") }
            return (String(target[..<question]), String(target[target.index(after: question)...]))
        }()
        var headers: [(name: String, value: String)] = []
        for line in lines {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            }
        }
        return SigningInput(method: method, path: path, query: query, headers: headers, payload: Data(body.utf8))
    }
}
