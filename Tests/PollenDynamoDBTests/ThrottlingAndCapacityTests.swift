import Foundation
import PollenAWS
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenDynamoDB

/// What DynamoDB now says about throttling and capacity: `ThrottlingReasons` in either spelling,
/// `OnDemandThroughput` and `WarmThroughput` in table descriptions, and `OnDemandThroughput`
/// on `CreateTable`.
final class ThrottlingAndCapacityTests: XCTestCase {
    func client(_ transport: ScriptedTransport) -> DynamoDBClient {
        DynamoDBClient(settings: DynamoDBClientTests.settings, transport: transport,
                       now: { Date(timeIntervalSince1970: 1_700_000_000) })
    }

    func thrown(_ body: String) async throws -> DynamoDBError {
        let transport = ScriptedTransport { _, _ in DynamoDBClientTests.response(body, status: 400) }
        do {
            _ = try await client(transport).batchWriteItem(BatchWriteItemInput(requestItems: [
                "earnings": [.put(item: ["symbol": .s("IBM"), "reportKey": .s("annual#2024-12-31")])]]))
        } catch let error as DynamoDBError {
            return error
        }
        XCTFail("the throttling answer was taken for a success")
        throw CancellationError()
    }

    func testThrottlingReasonsAreReadInBothSpellings() async throws {
        let provisioned = try await thrown(#"""
            {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"exceeded",
             "ThrottlingReasons":[{"reason":"TableWriteKeyRangeThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:1:table/earnings"}]}
            """#)
        XCTAssertEqual(provisioned.category, .throttling)
        XCTAssertEqual(provisioned.throttlingReasons,
                       [ThrottlingReason(reason: "TableWriteKeyRangeThroughputExceeded", resource: "arn:aws:dynamodb:us-east-1:1:table/earnings")])
        XCTAssertEqual(provisioned.throttlingReasons.first?.limit, .keyRange)
        XCTAssertTrue(provisioned.description.contains("TableWriteKeyRangeThroughputExceeded"), provisioned.description)

        let onDemand = try await thrown(#"""
            {"__type":"com.amazon.coral.availability#ThrottlingException","message":"Throughput exceeds the current capacity",
             "throttlingReasons":[{"reason":"TableWriteAccountLimitExceeded","resource":"arn:aws:dynamodb:us-east-1:1:table/earnings"}]}
            """#)
        XCTAssertEqual(onDemand.code, "ThrottlingException")
        XCTAssertEqual(onDemand.category, .throttling)
        XCTAssertEqual(onDemand.throttlingReasons.map(\.limit), [.accountLimit])

        let bare = try await thrown(#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"x"}"#)
        XCTAssertEqual(bare.throttlingReasons, [], "a throttle without reasons, as DynamoDB answered before")
    }

    func testReasonsAreParsedIntoTheirParts() {
        let cases: [(String, ThrottlingReason.Limit?, Bool, Bool)] = [
            ("TableWriteProvisionedThroughputExceeded", .provisioned, false, true),
            ("TableWriteKeyRangeThroughputExceeded", .keyRange, false, true),
            ("TableWriteAccountLimitExceeded", .accountLimit, false, true),
            ("TableWriteMaxOnDemandThroughputExceeded", .maxOnDemand, false, true),
            ("IndexWriteKeyRangeThroughputExceeded", .keyRange, true, true),
            ("TableReadProvisionedThroughputExceeded", .provisioned, false, false),
            ("SomethingNew", nil, false, false),
        ]
        for (text, limit, index, write) in cases {
            let reason = ThrottlingReason(reason: text)
            XCTAssertEqual(reason.limit, limit, text)
            XCTAssertEqual(reason.isIndex, index, text)
            XCTAssertEqual(reason.isWrite, write, text)
        }
    }

    func testTableDescriptionsCarryOnDemandAndWarmThroughput() throws {
        func described(_ json: String) throws -> TableDescription {
            try JSONDecoder().decode(TableDescriptionOutput.self, from: Data(json.utf8)).table
        }
        let onDemand = try described(#"""
            {"Table":{"TableName":"t","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},
             "OnDemandThroughput":{"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":400},
             "WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"}}}
            """#)
        XCTAssertEqual(onDemand.maxOnDemandWriteUnits, 400)
        XCTAssertEqual(onDemand.warmWriteUnits, 4000)
        XCTAssertNil(onDemand.provisionedWriteCapacity)
        let unlimited = try described(#"""
            {"Table":{"TableName":"t","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},
             "OnDemandThroughput":{"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":-1}}}
            """#)
        XCTAssertNil(unlimited.maxOnDemandWriteUnits, "-1 means no maximum")
        XCTAssertNil(unlimited.warmWriteUnits)
        let provisioned = try described(#"""
            {"Table":{"TableName":"t","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":50}}}
            """#)
        XCTAssertEqual(provisioned.provisionedWriteCapacity, 50)
        XCTAssertNil(provisioned.maxOnDemandWriteUnits)
    }

    func testCreateTableSendsOnDemandThroughput() async throws {
        let transport = ScriptedTransport { _, _ in
            DynamoDBClientTests.response(#"{"TableDescription":{"TableName":"t","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}}"#)
        }
        _ = try await client(transport).createTable(CreateTableInput(
            tableName: "t", keySchema: [KeySchemaElement(attributeName: "symbol", keyType: .hash)],
            attributeDefinitions: [AttributeDefinition(attributeName: "symbol", attributeType: .string)],
            billingMode: .payPerRequest, onDemandThroughput: OnDemandThroughput(maxWriteRequestUnits: 250)))
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(transport.requests.first).body) as? [String: Any])
        XCTAssertEqual(body["OnDemandThroughput"] as? [String: Int], ["MaxWriteRequestUnits": 250])
        XCTAssertNil(body["ProvisionedThroughput"])
    }
}
