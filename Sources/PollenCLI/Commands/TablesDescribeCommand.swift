import ArgumentParser
import PollenDynamoDB
import PollenEngine

/// `pollen tables describe`: key schema, billing mode, capacity and item count of each table.
struct TablesDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Describe the six tables.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let client = try connection.makeClient()
            // WCU: provisioned write units, or an on-demand table's OnDemandThroughput maximum;
            // WARM WCU: what the table can take at once (WarmThroughput).
            var rows = [["TABLE", "KEYS", "BILLING", "WCU", "RCU", "WARM WCU", "ITEMS", "STATUS"]]
            for table in PollenTable.allCases {
                let name = table.name(prefix: connection.resolvedTablePrefix)
                do {
                    let description = try await client.describeTable(DescribeTableInput(tableName: name))
                    let keys = description.keySchema.map { "\($0.attributeName) (\($0.keyType.rawValue))" }
                    let provisioned = description.billingMode == .provisioned
                    rows.append([
                        name, keys.joined(separator: ", "),
                        provisioned ? "provisioned" : "on-demand",
                        provisioned ? String(description.provisionedThroughput?.writeCapacityUnits ?? 0)
                            : description.maxOnDemandWriteUnits.map { "max \($0)" } ?? "-",
                        provisioned ? String(description.provisionedThroughput?.readCapacityUnits ?? 0) : "-",
                        description.warmWriteUnits.map(String.init) ?? "-",
                        description.itemCount.map(String.init) ?? "?",
                        description.tableStatus ?? "?",
                    ])
                } catch let error as DynamoDBError where error.code == "ResourceNotFoundException" {
                    rows.append([name, "-", "-", "-", "-", "-", "-", "MISSING"])
                }
            }
            StandardStreams.out(TextColumns.render(rows))
        }
    }
}
