import Foundation
import PollenAWS
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenDynamoDB

/// The client against the local DynamoDB over HTTP, with boto3 reading the results back.
final class DynamoDBIntegrationTests: XCTestCase {
    nonisolated(unsafe) static var server: LocalDynamoDB!
    var client: DynamoDBClient!

    override class func setUp() {
        server = try! LocalDynamoDB()
    }

    override class func tearDown() {
        XCTAssertEqual(server.stop(), 0, "the local DynamoDB stops cleanly")
    }

    override func setUp() async throws {
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDPOLLENTEST", secretAccessKey: "pollen-test-secret"),
                                   region: "us-east-1", endpoint: URL(string: Self.server.endpoint)!)
        client = DynamoDBClient(settings: settings, transport: CurlTransport())
    }

    /// Creates a fresh table with `symbol` (and optionally `reportKey`) string keys.
    func makeTable(sortKey: Bool = false) async throws -> String {
        let name = "t\(UUID().uuidString.prefix(8))"
        var keys = [KeySchemaElement(attributeName: "symbol", keyType: .hash)]
        if sortKey { keys.append(KeySchemaElement(attributeName: "reportKey", keyType: .range)) }
        let table = try await client.createTable(CreateTableInput(
            tableName: name, keySchema: keys,
            attributeDefinitions: keys.map { AttributeDefinition(attributeName: $0.attributeName, attributeType: .string) },
            billingMode: .payPerRequest))
        XCTAssertEqual(table.tableName, name)
        return name
    }

    func testEveryAttributeTypeIsWrittenAndReadBackExactly() async throws {
        let table = try await makeTable()
        let item: Item = [
            "symbol": .s("IBM"), "name": .s("International “Business” Machines\n日本"), "revenue": .n("62753000000"),
            "precise": .n("12345678901234567890.123456789012345678"), "tiny": .n("-1.5E-100"),
            "blob": .b(Data([0, 255, 10, 13])), "active": .bool(true), "nothing": .null,
            "nested": .m(["list": .l([.n("1"), .s("two"), .m(["three": .bool(false)])])]),
            "tags": .ss(["tech", "dow"]), "scores": .ns(["1", "2.5"]), "blobs": .bs([Data([1]), Data([2])]),
        ]
        let output = try await client.batchWriteItem(BatchWriteItemInput(requestItems: [table: [.put(item: item)]]))
        XCTAssertEqual(output.unprocessedCount, 0)
        XCTAssertEqual(output.consumedCapacity.first?.tableName, table)
        XCTAssertEqual(output.consumedCapacity.first?.capacityUnits, 1)

        let read = try await client.getItem(GetItemInput(tableName: table, key: ["symbol": .s("IBM")], consistentRead: true))
        let back = try XCTUnwrap(read.item)
        XCTAssertEqual(back["name"], item["name"])
        XCTAssertEqual(back["precise"], item["precise"])
        XCTAssertEqual(back["blob"], item["blob"])
        XCTAssertEqual(back["active"], item["active"])
        XCTAssertEqual(back["nothing"], .null)
        XCTAssertEqual(back["nested"], item["nested"])
        XCTAssertEqual(Set(back["tags"].flatMap { if case .ss(let v) = $0 { v } else { nil } } ?? []), ["tech", "dow"])
        XCTAssertEqual(back["blobs"].map { if case .bs(let v) = $0 { Set(v) } else { Set<Data>() } }, Set([Data([1]), Data([2])]))

        // boto3 sees the same types.
        let seen = try Boto3.run("""
            item = ddb.get_item(TableName=args["table"], Key={"symbol": {"S": "IBM"}}, ConsistentRead=True)["Item"]
            emit({k: list(v.keys())[0] for k, v in item.items()} | {"precise": item["precise"]["N"], "blob": item["blob"]["B"]})
            """, endpoint: Self.server.endpoint, args: ["table": table]) as? [String: String]
        XCTAssertEqual(seen?["revenue"], "N")
        XCTAssertEqual(seen?["nested"], "M")
        XCTAssertEqual(seen?["tags"], "SS")
        XCTAssertEqual(seen?["scores"], "NS")
        XCTAssertEqual(seen?["blobs"], "BS")
        XCTAssertEqual(seen?["nothing"], "NULL")
        XCTAssertEqual(seen?["active"], "BOOL")
        XCTAssertEqual(seen?["precise"], "12345678901234567890.123456789012345678")
        XCTAssertEqual(seen?["blob"], Data([0, 255, 10, 13]).base64EncodedString())
    }

    func testConditionalUpdateSucceedsAndFails() async throws {
        let table = try await makeTable()
        _ = try await client.putItem(PutItemInput(tableName: table, item: ["symbol": .s("AAPL"), "date": .s("2024-01-01")]))
        let names = ["#d": "date"]
        let updated = try await client.updateItem(UpdateItemInput(
            tableName: table, key: ["symbol": .s("AAPL")], updateExpression: "SET #d = :new",
            conditionExpression: "attribute_exists(symbol) AND #d < :new", expressionAttributeNames: names,
            expressionAttributeValues: [":new": .s("2024-06-01")], returnValues: .allNew, returnConsumedCapacity: .total))
        XCTAssertEqual(updated.attributes?["date"], .s("2024-06-01"))
        XCTAssertNotNil(updated.consumedCapacity)
        do {
            _ = try await client.updateItem(UpdateItemInput(
                tableName: table, key: ["symbol": .s("AAPL")], updateExpression: "SET #d = :old",
                conditionExpression: "attribute_exists(symbol) AND #d < :old", expressionAttributeNames: names,
                expressionAttributeValues: [":old": .s("2023-01-01")]))
            XCTFail("an older date must not overwrite a newer one")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "ConditionalCheckFailedException")
            XCTAssertEqual(error.category, .client)
        }
        let row = try await client.getItem(GetItemInput(tableName: table, key: ["symbol": .s("AAPL")], consistentRead: true))
        XCTAssertEqual(row.item?["date"], .s("2024-06-01"))
    }

    func testTransactionCancellationReportsReasonsAndWritesNothing() async throws {
        let table = try await makeTable()
        _ = try await client.putItem(PutItemInput(tableName: table, item: ["symbol": .s("MSFT")]))
        do {
            _ = try await client.transactWriteItems(TransactWriteItemsInput(actions: [
                .put(tableName: table, item: ["symbol": .s("NEW")]),
                .conditionCheck(tableName: table, key: ["symbol": .s("MSFT")],
                                condition: .init("attribute_not_exists(symbol)")),
            ], clientRequestToken: UUID().uuidString))
            XCTFail("expected a cancellation")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "TransactionCanceledException")
            XCTAssertEqual(error.cancellationReasons.map(\.code), ["None", "ConditionalCheckFailed"])
        }
        let absent = try await client.getItem(GetItemInput(tableName: table, key: ["symbol": .s("NEW")], consistentRead: true))
        XCTAssertNil(absent.item)
        _ = try await client.transactWriteItems(TransactWriteItemsInput(actions: [
            .put(tableName: table, item: ["symbol": .s("NEW")], condition: .init("attribute_not_exists(symbol)")),
            .update(tableName: table, key: ["symbol": .s("MSFT")], updateExpression: "SET v = :v",
                    condition: .init("attribute_exists(symbol)", values: [":v": .n("1")])),
        ]))
        let count = try Boto3.run("emit(ddb.scan(TableName=args)['Count'])", endpoint: Self.server.endpoint, args: table) as? Int
        XCTAssertEqual(count, 2)
    }

    func testScanPaginatesOverMoreThanOnePageAndQueryReadsAPartition() async throws {
        let table = try await makeTable(sortKey: true)
        for chunk in stride(from: 0, to: 60, by: 25) {
            let requests = (chunk..<min(chunk + 25, 60)).map { index -> WriteRequest in
                .put(item: ["symbol": .s(index < 40 ? "A" : "B"), "reportKey": .s(String(format: "annual#%04d", index))])
            }
            let output = try await client.batchWriteItem(BatchWriteItemInput(requestItems: [table: requests]))
            XCTAssertEqual(output.unprocessedCount, 0)
        }
        var pages = 0
        var seen = Set<String>()
        for try await page in client.scanPages(ScanInput(tableName: table, options: ReadOptions(limit: 7))) {
            pages += 1
            for item in page.items { seen.insert(item["reportKey"]!.stringValue!) }
        }
        XCTAssertGreaterThanOrEqual(pages, 9)
        XCTAssertEqual(seen.count, 60)

        var queried = 0
        for try await page in client.queryPages(QueryInput(
            tableName: table, keyConditionExpression: "symbol = :s",
            options: ReadOptions(expressionAttributeValues: [":s": .s("B")], limit: 6, consistentRead: true))) {
            queried += page.items.count
        }
        XCTAssertEqual(queried, 20)
    }

    func testTableLifecycleAndErrors() async throws {
        let table = try await makeTable(sortKey: true)
        let names = try await client.listAllTables()
        XCTAssertTrue(names.contains(table))
        let description = try await client.describeTable(DescribeTableInput(tableName: table))
        XCTAssertEqual(description.partitionKey, "symbol")
        XCTAssertEqual(description.sortKey, "reportKey")
        XCTAssertEqual(description.billingMode, .payPerRequest)
        XCTAssertNil(description.provisionedWriteCapacity)
        _ = try await client.deleteTable(DeleteTableInput(tableName: table))
        do {
            _ = try await client.describeTable(DescribeTableInput(tableName: table))
            XCTFail("the table was deleted")
        } catch let error as DynamoDBError {
            XCTAssertEqual(error.code, "ResourceNotFoundException")
            XCTAssertFalse(error.isRetryable)
        }
    }
}
