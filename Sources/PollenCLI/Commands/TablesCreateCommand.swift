import ArgumentParser
import Foundation
import PollenDynamoDB
import PollenEngine

/// `pollen tables create`: creates the six tables with their keys; existing tables are left as they are.
struct TablesCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create the six tables.")

    enum Billing: String, ExpressibleByArgument, CaseIterable {
        case onDemand = "on-demand", provisioned
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Billing mode: on-demand or provisioned.")
    var billing: Billing = .onDemand

    @Option(help: "Write capacity units per table (provisioned).")
    var wcu: Int = 5

    @Option(help: "Read capacity units per table (provisioned).")
    var rcu: Int = 5

    @Option(name: .customLong("max-wcu-on-demand"),
            help: "Maximum write request units per second of each on-demand table (OnDemandThroughput).")
    var maxWCUOnDemand: Int?

    func validate() throws {
        if billing == .provisioned && (wcu < 1 || rcu < 1) {
            throw ValidationError("--wcu and --rcu must be at least 1 for provisioned tables.")
        }
        if let maxWCUOnDemand {
            guard billing == .onDemand else {
                throw ValidationError("--max-wcu-on-demand applies to on-demand tables only (not with --billing provisioned).")
            }
            guard maxWCUOnDemand >= 1 else { throw ValidationError("--max-wcu-on-demand must be at least 1.") }
        }
    }

    /// HTTP 500s and throttling are retried as the engine retries its own calls. (A CreateTable
    /// that failed yet created the table is then reported as existing.)
    private var retrying: Retrying { Retrying() }

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let client = try connection.makeClient()
            let prefix = connection.resolvedTablePrefix
            for table in PollenTable.allCases {
                let name = table.name(prefix: prefix)
                let input = CreateTableInput(
                    tableName: name, keySchema: table.keySchema, attributeDefinitions: table.attributeDefinitions,
                    billingMode: billing == .provisioned ? .provisioned : .payPerRequest,
                    provisionedThroughput: billing == .provisioned
                        ? ProvisionedThroughput(readCapacityUnits: rcu, writeCapacityUnits: wcu) : nil,
                    onDemandThroughput: maxWCUOnDemand.map { OnDemandThroughput(maxWriteRequestUnits: $0) })
                do {
                    _ = try await retrying.run { try await client.createTable(input) }
                    try await waitUntilActive(client: client, table: name)
                    StandardStreams.out("created  \(name)  keys: \(table.keyAttributes.joined(separator: ", "))\n")
                } catch let error as DynamoDBError where error.code == "ResourceInUseException" {
                    StandardStreams.out("exists   \(name)  (left unchanged)\n")
                }
            }
        }
    }

    /// DynamoDB creates tables asynchronously; writes fail until the table is ACTIVE.
    private func waitUntilActive(client: DynamoDBClient, table: String) async throws {
        for _ in 0..<120 {
            let status = try await retrying.run { try await client.describeTable(DescribeTableInput(tableName: table)) }
                .tableStatus
            if status == nil || status == "ACTIVE" { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CLIFailure.message("Table \(table) did not become ACTIVE within 60 seconds.")
    }
}
