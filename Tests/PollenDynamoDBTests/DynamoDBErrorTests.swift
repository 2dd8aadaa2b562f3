import Foundation
import PollenHTTP
import XCTest
@testable import PollenDynamoDB

/// Error classification from the bodies DynamoDB really sends.
final class DynamoDBErrorTests: XCTestCase {
    func classify(status: Int, body: String, headers: HTTPHeaders = HTTPHeaders()) -> DynamoDBError {
        DynamoDBClient.error(from: HTTPResponse(status: status, headers: headers, body: Data(body.utf8)),
                             operation: "BatchWriteItem", tables: ["earnings"], requestID: "R1")
    }

    /// An endpoint that echoes the request (a proxy, a misconfigured gateway) may quote the
    /// session token or the secret key: the message keeps neither.
    func testAKnownSecretInAServerMessageIsRedacted() {
        KnownSecrets.add("FwoGZXIvYXdzEDynamoDBErrorTestToken")
        let error = classify(status: 400, body: #"{"__type":"ValidationException","message":"bad token FwoGZXIvYXdzEDynamoDBErrorTestToken"}"#)
        XCTAssertEqual(error.message, "bad token REDACTED")
    }

    func testThrottling() {
        for code in ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"] {
            let error = classify(status: 400, body: #"{"__type":"com.amazonaws.dynamodb.v20120810#\#(code)","message":"slow down"}"#)
            XCTAssertEqual(error.category, .throttling, code)
            XCTAssertEqual(error.code, code)
            XCTAssertTrue(error.isRetryable)
        }
    }

    func testClientErrorsAreNotRetried() {
        let validation = classify(status: 400, body: #"{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}"#)
        XCTAssertEqual(validation.category, .client)
        XCTAssertEqual(validation.code, "ValidationException")
        XCTAssertFalse(validation.isRetryable)
        let missing = classify(status: 400, body: #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#)
        XCTAssertEqual(missing.code, "ResourceNotFoundException")
        XCTAssertEqual(missing.category, .client)
        let condition = classify(status: 400, body: #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","Message":"The conditional request failed"}"#)
        XCTAssertEqual(condition.code, "ConditionalCheckFailedException")
        XCTAssertEqual(condition.message, "The conditional request failed", "Message with a capital M is read too")
        let denied = classify(status: 400, body: #"{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User is not authorized"}"#)
        XCTAssertEqual(denied.category, .client)
    }

    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD` answers the row as it was: kept for the
    /// caller, never in the description.
    func testARefusedConditionKeepsTheItemItAskedForOutOfTheDescription() {
        let error = classify(status: 400, body: #"""
            {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","Message":"The conditional request failed",
             "Item":{"symbol":{"S":"IBM"},"secret":{"S":"row contents"}}}
            """#)
        XCTAssertEqual(error.item, ["symbol": .s("IBM"), "secret": .s("row contents")])
        XCTAssertFalse(error.description.contains("row contents"))
        XCTAssertNil(classify(status: 400, body: #"{"__type":"x#ConditionalCheckFailedException","message":"no"}"#).item)
    }

    func testTransactionCancellationKeepsReasonsButNotItems() {
        let error = classify(status: 400, body: #"""
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
             "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
             "CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"secret":{"S":"row contents"}}},{"Code":"None"}]}
            """#)
        XCTAssertEqual(error.code, "TransactionCanceledException")
        XCTAssertEqual(error.category, .client)
        XCTAssertEqual(error.cancellationReasons.map(\.code), ["ConditionalCheckFailed", "None"])
        XCTAssertFalse(error.description.contains("row contents"))
        XCTAssertTrue(error.description.contains("ConditionalCheckFailed"))
    }

    func testAuthentication() {
        for code in ["UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException"] {
            let error = classify(status: 400, body: #"{"__type":"com.amazon.coral.service#\#(code)","message":"no"}"#)
            XCTAssertEqual(error.category, .authentication, code)
            XCTAssertFalse(error.isRetryable)
        }
    }

    func testServerErrors() {
        let serverError = classify(status: 500, body: #"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}"#)
        XCTAssertEqual(serverError.category, .transient)
        XCTAssertTrue(serverError.isRetryable)
        let gateway = classify(status: 503, body: "<html>Service Unavailable</html>")
        XCTAssertEqual(gateway.category, .transient)
        XCTAssertEqual(gateway.code, "HTTP503")
        let fromHeader = classify(status: 400, body: "", headers: ["x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/"])
        XCTAssertEqual(fromHeader.code, "ThrottlingException")
        XCTAssertEqual(fromHeader.category, .throttling)
    }

    func testTransportFailures() {
        let reset = DynamoDBError.transport(.connectionReset("h: reset"), operation: "BatchWriteItem", tables: ["t"])
        XCTAssertEqual(reset.category, .transient)
        XCTAssertTrue(reset.mayHaveBeenApplied)
        let timeout = DynamoDBError.transport(.timedOut("h"), operation: "BatchWriteItem", tables: ["t"])
        XCTAssertEqual(timeout.code, "Timeout")
        let refused = DynamoDBError.transport(.connectFailed("h"), operation: "BatchWriteItem", tables: ["t"])
        XCTAssertEqual(refused.category, .connection)
        XCTAssertFalse(refused.mayHaveBeenApplied)
        XCTAssertEqual(DynamoDBError.transport(.tlsFailure("x"), operation: "o", tables: []).category, .connection)
    }

    func testEchoedRequestValuesAreRedacted() {
        let error = classify(status: 400, body: #"{"__type":"x#ValidationException","message":"1 validation error detected: Value '{earnings=[PutRequest(item={reportedEPS=1.23})]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25]"}"#)
        XCTAssertFalse(error.message.contains("reportedEPS"))
        XCTAssertTrue(error.message.contains("at 'requestItems' failed to satisfy constraint"))
        XCTAssertEqual(DynamoDBError.redactingValues(in: "Value 'unterminated"), "Value '…'")
        // Found by fuzzing: a lowercase marker before an uppercase one was copied through.
        XCTAssertEqual(DynamoDBError.redactingValues(in: "value 'SECRET' at 'item.a' failed; Value 'x' at 'b'"),
                       "value '…' at 'item.a' failed; Value '…' at 'b'")
        XCTAssertEqual(DynamoDBError.redactingValues(in: "value 'Value '"), "value '…'")
        // Linear, not quadratic, in the message: 16,000 markers without an end take no time.
        let long = String(repeating: "value 'a' at b ", count: 16_000)
        let started = ContinuousClock.now
        _ = DynamoDBError.redactingValues(in: long)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
    }
}
