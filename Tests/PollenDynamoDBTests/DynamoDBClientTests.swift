import Foundation
import PollenAWS
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenDynamoDB

/// The client against a scripted transport: what it sends and how it reads answers.
final class DynamoDBClientTests: XCTestCase {
    static let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "secret-value"),
                                      region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:8000/")!)

    func client(_ transport: ScriptedTransport) -> DynamoDBClient {
        DynamoDBClient(settings: Self.settings, transport: transport, now: { Date(timeIntervalSince1970: 1_700_000_000) })
    }

    static func response(_ body: String, status: Int = 200, crc: Bool = true) -> HTTPResponse {
        var headers = HTTPHeaders()
        if crc { headers.add(name: "x-amz-crc32", value: String(CRC32.of(Data(body.utf8)))) }
        return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
    }

    func testBatchWriteItemRequestAndResponse() async throws {
        let transport = ScriptedTransport { _, _ in
            Self.response(#"""
                {"UnprocessedItems":{"earnings":[{"PutRequest":{"Item":{"symbol":{"S":"IBM"},"reportKey":{"S":"annual#2024-12-31"}}}}]},
                 "ConsumedCapacity":[{"TableName":"earnings","CapacityUnits":24.0}]}
                """#)
        }
        let item: Item = ["symbol": .s("IBM"), "reportKey": .s("annual#2024-12-31"), "reportedEPS": .n("10.33")]
        let output = try await client(transport).batchWriteItem(
            BatchWriteItemInput(requestItems: ["earnings": [.put(item: item), .delete(key: ["symbol": .s("X"), "reportKey": .s("k")])]]))
        XCTAssertEqual(output.unprocessedCount, 1)
        XCTAssertEqual(output.unprocessedItems["earnings"]?.first, .put(item: ["symbol": .s("IBM"), "reportKey": .s("annual#2024-12-31")]))
        XCTAssertEqual(output.consumedCapacity, [ConsumedCapacity(tableName: "earnings", capacityUnits: 24)])

        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.absoluteString, "http://127.0.0.1:8000/")
        XCTAssertEqual(request.headers["content-type"], "application/x-amz-json-1.0")
        XCTAssertEqual(request.headers["x-amz-target"], "DynamoDB_20120810.BatchWriteItem")
        XCTAssertEqual(request.headers["x-amz-date"], "20231114T221320Z")
        XCTAssertTrue(request.headers["authorization"]!.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/20231114/us-east-1/dynamodb/aws4_request"))
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        XCTAssertEqual(body["ReturnConsumedCapacity"] as? String, "TOTAL")
        let requests = try XCTUnwrap((body["RequestItems"] as? [String: Any])?["earnings"] as? [[String: Any]])
        XCTAssertEqual(requests.count, 2)
        let put = try XCTUnwrap((requests[0]["PutRequest"] as? [String: Any])?["Item"] as? [String: [String: String]])
        XCTAssertEqual(put["reportedEPS"], ["N": "10.33"])
        XCTAssertNotNil(requests[1]["DeleteRequest"])
    }

    func testEveryOperationUsesItsTarget() async throws {
        let transport = ScriptedTransport { request, _ in
            switch request.headers["x-amz-target"] {
            case "DynamoDB_20120810.DescribeTable", "DynamoDB_20120810.CreateTable":
                return Self.response(#"{"Table":{"TableName":"t","KeySchema":[{"AttributeName":"symbol","KeyType":"HASH"}],"TableStatus":"ACTIVE","ItemCount":3}}"#)
            case "DynamoDB_20120810.DeleteTable":
                return Self.response(#"{"TableDescription":{"TableName":"t","TableStatus":"DELETING"}}"#)
            case "DynamoDB_20120810.GetItem":
                return Self.response(#"{"Item":{"symbol":{"S":"IBM"}}}"#)
            case "DynamoDB_20120810.UpdateItem", "DynamoDB_20120810.PutItem":
                return Self.response(#"{"Attributes":{"n":{"N":"2"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":1.0}}"#)
            default:
                return Self.response("{}")
            }
        }
        let client = client(transport)
        let table = try await client.describeTable(DescribeTableInput(tableName: "t"))
        XCTAssertEqual(table.partitionKey, "symbol")
        XCTAssertNil(table.sortKey)
        XCTAssertEqual(table.billingMode, .provisioned, "no billing summary means provisioned")
        _ = try await client.createTable(CreateTableInput(tableName: "t", keySchema: [], attributeDefinitions: [], billingMode: .payPerRequest))
        let deleted = try await client.deleteTable(DeleteTableInput(tableName: "t"))
        XCTAssertEqual(deleted.tableStatus, "DELETING")
        let got = try await client.getItem(GetItemInput(tableName: "t", key: ["symbol": .s("IBM")], consistentRead: true))
        XCTAssertEqual(got.item?["symbol"], .s("IBM"))
        let updated = try await client.updateItem(UpdateItemInput(tableName: "t", key: ["symbol": .s("IBM")], updateExpression: "SET n = :n",
                                                                 expressionAttributeValues: [":n": .n("2")], returnValues: .allNew))
        XCTAssertEqual(updated.attributes?["n"], .n("2"))
        XCTAssertEqual(updated.consumedCapacity?.capacityUnits, 1)
        _ = try await client.putItem(PutItemInput(tableName: "t", item: ["symbol": .s("A")], conditionExpression: "attribute_not_exists(symbol)"))
        _ = try await client.transactWriteItems(TransactWriteItemsInput(actions: [.put(tableName: "t", item: ["symbol": .s("A")])]))
        let targets = transport.requests.map { $0.headers["x-amz-target"]! }
        XCTAssertEqual(targets, ["DescribeTable", "CreateTable", "DeleteTable", "GetItem", "UpdateItem", "PutItem", "TransactWriteItems"]
            .map { "DynamoDB_20120810.\($0)" })
        let getBody = try JSONSerialization.jsonObject(with: transport.requests[3].body) as? [String: Any]
        XCTAssertEqual(getBody?["ConsistentRead"] as? Bool, true)
    }

    func testScanFollowsLastEvaluatedKey() async throws {
        let transport = ScriptedTransport { _, index in
            switch index {
            case 0: return Self.response(#"{"Items":[{"k":{"S":"1"}},{"k":{"S":"2"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"k":{"S":"2"}}}"#)
            case 1: return Self.response(#"{"Items":[{"k":{"S":"3"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"k":{"S":"3"}}}"#)
            default: return Self.response(#"{"Items":[],"Count":0,"ScannedCount":0}"#)
            }
        }
        var keys: [String] = []
        var pages = 0
        for try await page in client(transport).scanPages(ScanInput(tableName: "t", options: ReadOptions(limit: 2))) {
            pages += 1
            keys += page.items.compactMap { $0["k"]?.stringValue }
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(keys, ["1", "2", "3"])
        let starts = try transport.requests.map { request -> [String: Any]? in
            (try JSONSerialization.jsonObject(with: request.body) as? [String: Any])?["ExclusiveStartKey"] as? [String: Any]
        }
        XCTAssertNil(starts[0])
        XCTAssertEqual((starts[1]?["k"] as? [String: String])?["S"], "2")
        XCTAssertEqual((starts[2]?["k"] as? [String: String])?["S"], "3")
    }

    func testListAllTablesFollowsPages() async throws {
        let transport = ScriptedTransport { _, index in
            index == 0 ? Self.response(#"{"TableNames":["a","b"],"LastEvaluatedTableName":"b"}"#) : Self.response(#"{"TableNames":["c"]}"#)
        }
        let names = try await client(transport).listAllTables()
        XCTAssertEqual(names, ["a", "b", "c"])
    }

    func testChecksumMismatchIsATransientError() async throws {
        let transport = ScriptedTransport { _, _ in
            HTTPResponse(status: 200, headers: ["x-amz-crc32": "12345"], body: Data("{}".utf8))
        }
        do {
            _ = try await client(transport).listTables(ListTablesInput())
            XCTFail("expected a checksum error")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "CRC32Mismatch")
            XCTAssertEqual(error.category, .transient)
        }
        // A response without the header is accepted; one with the right value too.
        let plain = ScriptedTransport { _, _ in Self.response(#"{"TableNames":[]}"#, crc: false) }
        _ = try await client(plain).listTables(ListTablesInput())
        XCTAssertEqual(CRC32.of(Data("123456789".utf8)), 0xCBF43926)
    }

    func testErrorResponsesAndTransportFailuresBecomeTypedErrors() async throws {
        let throttled = ScriptedTransport { _, _ in
            Self.response(#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"exceeded"}"#, status: 400)
        }
        do {
            _ = try await client(throttled).batchWriteItem(BatchWriteItemInput(requestItems: ["cashFlow": [.delete(key: ["symbol": .s("A")])]]))
            XCTFail("expected throttling")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.category, .throttling)
            XCTAssertEqual(error.tables, ["cashFlow"])
            XCTAssertEqual(error.httpStatus, 400)
        }
        let reset = ScriptedTransport { _, _ in throw HTTPTransportError.connectionReset("127.0.0.1: reset") }
        do {
            _ = try await client(reset).listTables(ListTablesInput())
            XCTFail("expected a reset")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "ConnectionReset")
            XCTAssertTrue(error.mayHaveBeenApplied)
        }
        let garbage = ScriptedTransport { _, _ in Self.response("not json") }
        do {
            _ = try await client(garbage).listTables(ListTablesInput())
            XCTFail("expected an invalid response")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "InvalidResponse")
        }
    }

    func testInvalidValuesAreRejectedBeforeSending() async throws {
        let transport = ScriptedTransport { _, _ in Self.response("{}") }
        do {
            _ = try await client(transport).putItem(PutItemInput(tableName: "t", item: ["tags": .ss([])]))
            XCTFail("expected a rejection")
        } catch let error as AttributeValueError {
            XCTAssertEqual(error, .emptySet(attribute: "tags"))
        }
        XCTAssertTrue(transport.requests.isEmpty)
    }
}
