import CLibFuzzer
import Dispatch
import Foundation
import PollenAWS
import PollenDynamoDB
import PollenHTTP
import Synchronization

// Input: two control bytes, then a response body as DynamoDB (or anything in between) might
// send it. The body goes through the public client exactly as a real response would:
// `DynamoDBClient` -> x-amz-crc32 check -> status -> error body (`DynamoDBClient.error(from:)`,
// `ErrorBody`, `DynamoDBError.redactingValues`) or the operation's output decoder
// (`BatchWriteItemOutput`, `ReadPage`, `TableDescriptionOutput`, ...).
//   byte 0 % 11         -> the operation (see `operations`)
//   byte 1 bits 0-1     -> HTTP status: 200, 400, 500, 413
//   byte 1 bit 2        -> an `x-amzn-errortype` header
//   byte 1 bits 3-4     -> x-amz-crc32: none, correct, correct with spaces, wrong
//
// Oracle: the client never traps; it returns the output or throws a `DynamoDBError` whose
// status, category and code agree with what was sent; and DynamoDBError's promise that messages
// are "cleaned of quoted request values": every `Value '` / `value '` is followed by `…`.

/// Answers every request with the response of the current input.
private final class ScriptedTransport: HTTPTransport {
    let response = Mutex(HTTPResponse(status: 200))
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { response.withLock { $0 } }
}

private let settings = AWSSettings(
    credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:8000")!)
// One client for the whole run, as in the engine: its SigV4 signing key cache stays warm, so
// time goes to the response path rather than to key derivation.
private let transport = ScriptedTransport()
private let client = DynamoDBClient(settings: settings, transport: transport)
private let key: Item = ["symbol": .s("IBM"), "sk": .s("annual#2024-12-31")]

private let operations: [@Sendable (DynamoDBClient) async throws -> Void] = [
    { _ = try await $0.batchWriteItem(BatchWriteItemInput(requestItems: ["t": [.put(item: key)]])).unprocessedCount },
    { _ = try await $0.query(QueryInput(tableName: "t", keyConditionExpression: "symbol = :s")) },
    { _ = try await $0.scan(ScanInput(tableName: "t")) },
    { _ = try await $0.getItem(GetItemInput(tableName: "t", key: key)) },
    { _ = try await $0.updateItem(UpdateItemInput(tableName: "t", key: key, updateExpression: "SET a = :a",
                                                  expressionAttributeValues: [":a": .n("1")])) },
    { _ = try await $0.putItem(PutItemInput(tableName: "t", item: key)) },
    { _ = try await $0.transactWriteItems(TransactWriteItemsInput(actions: [.put(tableName: "t", item: key)])) },
    { _ = try await $0.describeTable(DescribeTableInput(tableName: "t")).partitionKey },
    { _ = try await $0.createTable(CreateTableInput(
        tableName: "t", keySchema: [KeySchemaElement(attributeName: "symbol", keyType: .hash)],
        attributeDefinitions: [AttributeDefinition(attributeName: "symbol", attributeType: .string)],
        billingMode: .payPerRequest)) },
    { _ = try await $0.deleteTable(DeleteTableInput(tableName: "t")) },
    { _ = try await $0.listTables(ListTablesInput()) },
]
private let statuses = [200, 400, 500, 413]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard bytes.count >= 2 else { return 0 }
    let operation = operations[Int(bytes[0]) % operations.count]
    let flags = bytes[1]
    let status = statuses[Int(flags & 0b11)]
    let body = Data(bytes.dropFirst(2))

    var headers = HTTPHeaders()
    headers.add(name: "x-amzn-RequestId", value: "FUZZREQUEST")
    if flags & 0b100 != 0 {
        headers.add(name: "x-amzn-ErrorType", value: "ProvisionedThroughputExceededException:http://internal.amazon.com/")
    }
    let crcMode = (flags >> 3) & 0b11
    switch crcMode {
    case 1: headers.add(name: "x-amz-crc32", value: String(crc32(body)))
    case 2: headers.add(name: "x-amz-crc32", value: " \(crc32(body)) ")
    case 3: headers.add(name: "x-amz-crc32", value: String(crc32(body) ^ 1))
    default: break
    }
    transport.response.withLock { $0 = HTTPResponse(status: status, headers: headers, body: body) }

    // `Task.immediate` runs the call on this thread up to its first suspension, and nothing
    // here suspends, so the whole call normally finishes inside this input (the semaphore is
    // for the case it does not). With `Task.detached` every input ended with the task still
    // allocated on another thread; libFuzzer took that for a possible leak and ran a full
    // LeakSanitizer scan after each input (72 exec/s instead of ~2,500).
    let done = DispatchSemaphore(value: 0)
    Task.immediate {
        do {
            try await operation(client)
            precondition(status == 200 && crcMode != 3, "a call succeeded on status \(status), checksum mode \(crcMode)")
        } catch let error as DynamoDBError {
            _ = error.description
            _ = error.isRetryable
            checkRedacted(error.message)
            if crcMode == 3 {
                precondition(error.code == "CRC32Mismatch")
            } else if status != 200 {
                precondition(error.httpStatus == status, "an error that lost its HTTP status")
                precondition(!error.code.isEmpty, "an error without a code")
                precondition(error.category == DynamoDBError.category(code: error.code, status: status))
            } else {
                precondition(error.code == "InvalidResponse", "unexpected code \(error.code) for a 200 response")
            }
        } catch {
            preconditionFailure("the client threw something other than DynamoDBError: \(error)")
        }
        done.signal()
    }
    done.wait()
    transport.response.withLock { $0 = HTTPResponse(status: 200) }  // frees the body before the next input
    return 0
}

/// LeakSanitizer does not follow the reference to the signing key that PollenAWS's
/// `SigningKeyCache` keeps for the whole process (a `Data` inside an optional tuple in a
/// `Mutex`; most likely a pointer stored with enum tag bits set), so at exit it reports that
/// one live, reachable object as a leak. Nothing else is suppressed.
@_cdecl("__lsan_default_suppressions")
public func leakSuppressions() -> UnsafePointer<CChar> {
    UnsafePointer(suppressions)
}
private nonisolated(unsafe) let suppressions = strdup("leak:SigningKeyCache\n")!

/// Traps when `message` still quotes a request value after `Value '` or `value '`.
private func checkRedacted(_ message: String) {
    let bytes = Array(message.utf8)
    let ellipsis = Array("…".utf8)
    for marker in ["Value '", "value '"] {
        let pattern = Array(marker.utf8)
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index..<index + pattern.count].elementsEqual(pattern) {
                let after = bytes[(index + pattern.count)...]
                precondition(after.starts(with: ellipsis), "an error message still quotes a request value: \(message)")
                index += pattern.count
            } else {
                index += 1
            }
        }
    }
}

/// CRC-32 (IEEE, zlib's) of `data`, to send a matching x-amz-crc32 header.
private let crcTable: [UInt32] = (0..<256).map { index -> UInt32 in
    var crc = UInt32(index)
    for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    return crc
}

private func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

/// SwiftPM links an executable target's entry point as `<Target>_main`; hand over to libFuzzer.
@_cdecl("FuzzDynamoDBResponses_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
}
