import Foundation
import PollenHTTP
import XCTest
@testable import PollenAWS

final class SigV4SignerTests: XCTestCase {
    let date = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z

    func testSignAddsHostDateAndAuthorizationAndSignsEveryHeader() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"),
                                 region: "eu-west-1", service: "dynamodb")
        var request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:8000/")!,
                                  headers: ["Content-Type": "application/x-amz-json-1.0",
                                            "X-Amz-Target": "DynamoDB_20120810.ListTables"],
                                  body: Data("{}".utf8))
        signer.sign(&request, date: date)
        XCTAssertEqual(request.headers["host"], "127.0.0.1:8000")
        XCTAssertEqual(request.headers["x-amz-date"], "20231114T221320Z")
        XCTAssertNil(request.headers["x-amz-security-token"])
        let authorization = try! XCTUnwrap(request.headers["authorization"])
        XCTAssertTrue(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/20231114/eu-west-1/dynamodb/aws4_request, "))
        XCTAssertTrue(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"))
        XCTAssertFalse(authorization.contains("secret"))
    }

    func testSessionTokenIsSentAndSigned() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret",
                                                             sessionToken: "token-value"),
                                 region: "us-east-1", service: "dynamodb")
        var request = HTTPRequest(method: "POST", url: URL(string: "https://dynamodb.us-east-1.amazonaws.com/")!)
        signer.sign(&request, date: date)
        XCTAssertEqual(request.headers["x-amz-security-token"], "token-value")
        XCTAssertEqual(request.headers["host"], "dynamodb.us-east-1.amazonaws.com")
        XCTAssertTrue(request.headers["authorization"]!.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
    }

    func testSigningIsDeterministicAndDependsOnBodyAndDay() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"),
                                 region: "us-east-1", service: "dynamodb")
        func authorization(body: String, at date: Date) -> String {
            var request = HTTPRequest(method: "POST", url: URL(string: "http://localhost:1/")!, body: Data(body.utf8))
            signer.sign(&request, date: date)
            return request.headers["authorization"]!
        }
        XCTAssertEqual(authorization(body: "{}", at: date), authorization(body: "{}", at: date))
        XCTAssertNotEqual(authorization(body: "{}", at: date), authorization(body: "{ }", at: date))
        let nextDay = date.addingTimeInterval(86_400)
        XCTAssertNotEqual(authorization(body: "{}", at: date), authorization(body: "{}", at: nextDay))
        // The cached signing key must follow the day back and forth.
        XCTAssertEqual(authorization(body: "{}", at: date), authorization(body: "{}", at: date))
    }

    func testUserAgentAndExpectAreNotSigned() {
        let input = SigningInput(method: "GET", path: "/", query: "",
                                 headers: [("Host", "h"), ("User-Agent", "x"), ("Expect", "100-continue")],
                                 payload: Data())
        XCTAssertEqual(CanonicalRequest(input, unsignedHeaders: SigV4Signer.unsignedHeaders).signedHeaders, "host")
    }

    func testCanonicalPathAndQuery() {
        XCTAssertEqual(CanonicalRequest.canonicalPath("/a/./b/../c//d/"), "/a/c/d/")
        XCTAssertEqual(CanonicalRequest.canonicalPath("/%7Euser/a%20b"), "/~user/a%20b")
        XCTAssertEqual(CanonicalRequest.canonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=")
        XCTAssertEqual(CanonicalRequest.canonicalQuery("k=a+b&x=%2F"), "k=a%2Bb&x=%2F")
    }
}
