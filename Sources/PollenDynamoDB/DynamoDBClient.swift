import Foundation
import Logging
import PollenAWS
import PollenHTTP

/// A DynamoDB client over AWS JSON 1.0, signed with SigV4, on any ``HTTPTransport``.
///
/// It sends each call once and reports what DynamoDB said: consumed capacity and
/// unprocessed items are returned to the caller, failures are thrown as ``DynamoDBError``.
/// Retrying is the caller's decision (the upsert engine has its own policy).
public final class DynamoDBClient: Sendable {
    public let settings: AWSSettings
    private let transport: any HTTPTransport
    private let signer: SigV4Signer
    private let now: @Sendable () -> Date
    private let logger: Logger

    static let targetPrefix = "DynamoDB_20120810."
    static let contentType = "application/x-amz-json-1.0"

    public init(settings: AWSSettings, transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "pollen.dynamodb")) {
        self.settings = settings
        self.transport = transport
        self.signer = SigV4Signer(credentials: settings.credentials, region: settings.region,
                                  service: AWSService.dynamoDB.signingName)
        self.now = now
        self.logger = logger
    }

    public func batchWriteItem(_ input: BatchWriteItemInput) async throws -> BatchWriteItemOutput {
        try await perform(input)
    }

    public func updateItem(_ input: UpdateItemInput) async throws -> ItemWriteOutput { try await perform(input) }
    public func putItem(_ input: PutItemInput) async throws -> ItemWriteOutput { try await perform(input) }
    public func transactWriteItems(_ input: TransactWriteItemsInput) async throws -> TransactWriteItemsOutput {
        try await perform(input)
    }
    public func getItem(_ input: GetItemInput) async throws -> GetItemOutput { try await perform(input) }
    public func query(_ input: QueryInput) async throws -> ReadPage { try await perform(input) }
    public func scan(_ input: ScanInput) async throws -> ReadPage { try await perform(input) }
    public func describeTable(_ input: DescribeTableInput) async throws -> TableDescription {
        try await perform(input).table
    }
    public func createTable(_ input: CreateTableInput) async throws -> TableDescription { try await perform(input).table }
    public func deleteTable(_ input: DeleteTableInput) async throws -> TableDescription { try await perform(input).table }
    public func listTables(_ input: ListTablesInput) async throws -> ListTablesOutput { try await perform(input) }

    /// Every page of a scan, following `LastEvaluatedKey`.
    public func scanPages(_ input: ScanInput) -> PageSequence { PageSequence(client: self, first: input) }

    /// Every page of a query, following `LastEvaluatedKey`.
    public func queryPages(_ input: QueryInput) -> PageSequence { PageSequence(client: self, first: input) }

    /// Every table name, following `LastEvaluatedTableName`.
    public func listAllTables() async throws -> [String] {
        var names: [String] = []
        var start: String?
        repeat {
            let page = try await listTables(ListTablesInput(exclusiveStartTableName: start))
            names += page.tableNames
            start = page.lastEvaluatedTableName
        } while start != nil
        return names
    }

    /// The signed HTTP request for `operation`, exactly as it would be sent at `date`.
    func signedRequest<Operation: DynamoDBOperation>(for operation: Operation, date: Date) throws -> HTTPRequest {
        var writer = JSONWriter()
        try operation.writeBody(to: &writer)
        var request = HTTPRequest(method: "POST", url: settings.endpoint, body: Data(writer.bytes))
        request.headers.add(name: "Content-Type", value: Self.contentType)
        request.headers.add(name: "X-Amz-Target", value: Self.targetPrefix + Operation.name)
        signer.sign(&request, date: date)
        request.headers.add(name: "User-Agent", value: "pollen/\(PollenVersion.current)")
        return request
    }

    func perform<Operation: DynamoDBOperation>(_ operation: Operation) async throws -> Operation.Output {
        let request = try signedRequest(for: operation, date: now())
        let started = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            logger.debug("request failed", metadata: ["operation": "\(Operation.name)", "error": "\(error)"])
            throw DynamoDBError.transport(error, operation: Operation.name, tables: operation.tableNames)
        }
        let requestID = response.headers["x-amzn-requestid"]
        logger.debug("response", metadata: [
            "operation": "\(Operation.name)", "tables": "\(operation.tableNames.joined(separator: ","))",
            "status": "\(response.status)", "elapsed": "\(ContinuousClock.now - started)",
            "requestId": "\(requestID ?? "-")",
        ])
        guard ResponseChecksum.matches(header: response.headers["x-amz-crc32"], body: response.body) else {
            throw DynamoDBError(category: .transient, code: "CRC32Mismatch",
                                message: "response body does not match its x-amz-crc32 checksum",
                                operation: Operation.name, tables: operation.tableNames, httpStatus: response.status,
                                requestID: requestID, mayHaveBeenApplied: true)
        }
        guard (200..<300).contains(response.status) else {
            throw Self.error(from: response, operation: Operation.name, tables: operation.tableNames, requestID: requestID)
        }
        do {
            return try JSONDecoder().decode(Operation.Output.self, from: response.body)
        } catch {
            throw DynamoDBError(category: .transient, code: "InvalidResponse",
                                message: "the response body is not the JSON DynamoDB sends for \(Operation.name)",
                                operation: Operation.name, tables: operation.tableNames, httpStatus: response.status,
                                requestID: requestID, mayHaveBeenApplied: true)
        }
    }

    static func error(from response: HTTPResponse, operation: String, tables: [String], requestID: String?) -> DynamoDBError {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
        let headerCode = response.headers["x-amzn-errortype"].flatMap { $0.split(separator: ":").first.map(String.init) }
        let code = body?.code ?? headerCode ?? "HTTP\(response.status)"
        let message = body?.message ?? ""
        return DynamoDBError(category: DynamoDBError.category(code: code, status: response.status), code: code,
                             message: message, operation: operation, tables: tables, httpStatus: response.status,
                             requestID: requestID, cancellationReasons: body?.cancellationReasons ?? [],
                             throttlingReasons: body?.reasons ?? [], item: body?.item)
    }
}
