import Foundation
import PollenAWS
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenDynamoDB

/// The requests Pollen sends carry the `Authorization` header that botocore computes for the
/// same request, time and credentials.
final class SignatureParityTests: XCTestCase {
    static let snippet = #"""
        import base64, datetime
        from unittest import mock
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        skip = {"authorization", "x-amz-date", "x-amz-security-token", "user-agent"}
        headers = {k: v for k, v in args["headers"] if k.lower() not in skip}
        request = AWSRequest(method="POST", url=args["url"], data=base64.b64decode(args["body"]), headers=headers)
        credentials = Credentials(args["key"], args["secret"], args.get("token"))
        fixed = datetime.datetime(2023, 11, 14, 22, 13, 20)
        with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
            SigV4Auth(credentials, "dynamodb", args["region"]).add_auth(request)
        emit(request.headers["Authorization"])
        """#

    func assertParity(_ build: (DynamoDBClient) throws -> HTTPRequest, token: String?, endpoint: String,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let credentials = AWSCredentials(accessKeyID: "AKIDPARITY", secretAccessKey: "parity/secret+key", sessionToken: token)
        let settings = AWSSettings(credentials: credentials, region: "eu-west-2", endpoint: URL(string: endpoint)!)
        let client = DynamoDBClient(settings: settings, transport: ScriptedTransport(status: 200, body: "{}"))
        let request = try build(client)
        var args: [String: Any] = [
            "url": request.url.absoluteString, "body": request.body.base64EncodedString(),
            "headers": request.headers.map { [$0.name, $0.value] }, "key": "AKIDPARITY",
            "secret": "parity/secret+key", "region": "eu-west-2",
        ]
        if let token { args["token"] = token }
        let expected = try Boto3.run(Self.snippet, endpoint: endpoint, args: args) as? String
        XCTAssertEqual(request.headers["authorization"], expected, file: file, line: line)
    }

    let date = Date(timeIntervalSince1970: 1_700_000_000)

    func testBatchWriteItemWithSessionTokenOverHTTPS() throws {
        let item: Item = ["symbol": .s("IBM"), "reportKey": .s("quarterly#2024-03-31"), "n": .n("1.5"),
                          "text": .s("naïve “quote” \n"), "b": .b(Data([1, 2, 3])), "m": .m(["x": .l([.null, .bool(true)])])]
        try assertParity({ try $0.signedRequest(for: BatchWriteItemInput(requestItems: ["earnings": [.put(item: item)]]), date: date) },
                         token: "FwoGZXIvYXdzEJr//////////wEaDOKEN+/=", endpoint: "https://dynamodb.eu-west-2.amazonaws.com")
    }

    func testUpdateItemOnLoopbackPort() throws {
        try assertParity({
            try $0.signedRequest(for: UpdateItemInput(
                tableName: "assets", key: ["symbol": .s("IBM")], updateExpression: "SET #s = :s",
                conditionExpression: "attribute_exists(symbol)", expressionAttributeNames: ["#s": "pollenationStatus"],
                expressionAttributeValues: [":s": .s("COMPLETE")], returnValues: .allNew), date: date)
        }, token: nil, endpoint: "http://127.0.0.1:8000")
    }

    func testScanAndDescribeTable() throws {
        try assertParity({ try $0.signedRequest(for: ScanInput(tableName: "assets", options: ReadOptions(limit: 10)), date: date) },
                         token: nil, endpoint: "http://localhost:4566")
        try assertParity({ try $0.signedRequest(for: DescribeTableInput(tableName: "earnings"), date: date) },
                         token: "token", endpoint: "https://dynamodb.eu-west-2.amazonaws.com")
    }
}
