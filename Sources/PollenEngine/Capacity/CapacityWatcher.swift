import PollenDynamoDB

/// Re-reads each table's announced capacity while a run goes on, so that `UpdateTable` and auto
/// scaling reach the pacing: every `interval` (60 s by default), and within seconds of a throttle
/// that suggests the capacity changed (a provisioned table granting well under its WCU, an
/// on-demand maximum reached).
struct CapacityWatcher: Sendable {
    let client: DynamoDBClient
    let tables: [(table: PollenTable, name: String, controller: WriteRateController)]
    let retrying: Retrying
    let clock: any EngineClock
    /// Seconds between two describes of a table.
    let interval: Double
    /// The least time between two describes of a table asked for by throttles.
    var requestSpacing = 5.0

    /// Runs until cancelled.
    func run() async {
        var described = Dictionary(uniqueKeysWithValues: tables.map { ($0.table, clock.now()) })
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: min(1, interval)) } catch { return }
            let now = clock.now()
            for entry in tables {
                let since = now - (described[entry.table] ?? now)
                guard since >= interval || (since >= requestSpacing && entry.controller.takeDescribeRequest()) else {
                    continue
                }
                described[entry.table] = now
                // A failed describe changes nothing: the pacing goes on from DynamoDB's answers.
                if let description = try? await retrying.run({
                    try await client.describeTable(DescribeTableInput(tableName: entry.name))
                }) {
                    entry.controller.setCapacity(TableCapacity(description))
                }
            }
        }
    }
}
