import Foundation
import PollenDynamoDB

/// Marks an asset's row in `assets` after its tables are processed, then confirms it.
///
/// CONTRACT section 1: the update is conditional on the row existing (a backfill never
/// creates asset rows); `lastPollenationDate` is set only when the status is COMPLETE and only
/// forward in time; `pollenationTables` keeps the states of tables this run did not touch.
/// A consistent read-back gives the confirmed `lastPollenationDate`.
struct AssetMarker: Sendable {
    let client: DynamoDBClient
    let tableName: String
    let retrying: Retrying
    let clock: any EngineClock
    /// Told the runs that left notes of each kind in the leases this run gives up with a mark
    /// (see ``LeaseHolder/Note``): other runs on the selection, and runs that are done.
    var notesRead: (@Sendable (LeaseHolder.Note, _ runIds: [String]) -> Void)?

    static let notRegistered = "asset not registered"
    /// The row's map of when each table was last marked (`YYYY-MM-DDTHH:MM:SSZ`).
    static let markedAtAttribute = "pollenationMarkedAt"
    /// Reads and merges tried when other runs mark the same asset at the same moment.
    static let mergeAttempts = 10

    /// Marks `symbol` with this run's table states and returns what the read-back confirmed;
    /// with `releasingLeaseOf`, gives up that run's lease on the row in the same update (never
    /// another run's, should this run's have run out and been taken over).
    func mark(symbol: String, states: [PollenTable: TableState], wroteAnything: Bool,
              releasingLeaseOf leaseRun: String? = nil) async -> AssetMark {
        let started = clock.now()
        let now = Timestamp.iso8601(clock.date())
        let key: Item = ["symbol": .s(symbol)]
        func result(_ status: AssetStatus, date: String?, confirmed: Bool, error: String?) -> AssetMark {
            AssetMark(symbol: symbol, status: status, lastPollenationDate: date, confirmed: confirmed, error: error,
                      durationSeconds: clock.now() - started)
        }
        let runStatus = Self.runStatus(states: states, wroteAnything: wroteAnything)
        do {
            var status = runStatus
            // Optimistic concurrency: the update holds only if the table states are still those
            // read; another run's mark in between means reading again and merging again.
            for attempt in 1...Self.mergeAttempts {
                guard let row = try await read(key) else {
                    return result(runStatus, date: nil, confirmed: false, error: Self.notRegistered)
                }
                if attempt == 1, let leaseRun, let notesRead {
                    for kind in LeaseHolder.Note.allCases {
                        let runs = LeaseHolder.notes(kind, in: row, heldBy: leaseRun)
                        if !runs.isEmpty { notesRead(kind, runs) }
                    }
                }
                let read = row["pollenationTables"]
                var merged: [String: AttributeValue] = read?.mapValue ?? [:]
                for (table, state) in states { merged[table.rawValue] = .s(state.rawValue) }
                status = Self.rowStatus(merged: merged, runStatus: runStatus)
                // When each table was last marked, so that a run that started earlier knows it is done.
                var markedAt = row[Self.markedAtAttribute]?.mapValue ?? [:]
                for table in states.keys { markedAt[table.rawValue] = .s(now) }
                var values: Item = [":status": .s(status.rawValue), ":now": .s(now), ":tables": .m(merged),
                                    ":markedAt": .m(markedAt)]
                var unchanged = "attribute_not_exists(pollenationTables)"
                if let read {
                    values[":read"] = read
                    unchanged = "pollenationTables = :read"
                }
                var release = ""
                var names: [String: String]?
                if let leaseRun {
                    // This run's leases of its tables go with the mark (each still its own, or the
                    // update fails and is tried again); another run's are left alone.
                    let leases = LeaseHolder.leases(in: row)
                    let mine = states.keys.sorted { $0.rawValue < $1.rawValue }.filter { leases[$0]?.runId == leaseRun }
                    if !mine.isEmpty {
                        names = ["#run": "runId"]
                        for (index, table) in mine.enumerated() {
                            names?["#l\(index)"] = LeaseHolder.attribute(table)
                            unchanged += " AND #l\(index).#run = :leaseRun"
                        }
                        values[":leaseRun"] = .s(leaseRun)
                        release = " REMOVE " + mine.indices.map { "#l\($0)" }.joined(separator: ", ")
                    }
                }
                let update = "SET pollenationStatus = :status, lastPollenationAttempt = :now, pollenationTables = :tables, "
                    + "\(Self.markedAtAttribute) = :markedAt"
                let base = "attribute_exists(symbol) AND " + unchanged
                do {
                    if status == .complete {
                        // lastPollenationDate only moves forward; when a newer one is there, the rest still applies.
                        do {
                            try await write(UpdateItemInput(
                                tableName: tableName, key: key, updateExpression: update + ", lastPollenationDate = :now" + release,
                                conditionExpression: base + " AND (attribute_not_exists(lastPollenationDate) OR lastPollenationDate < :now)",
                                expressionAttributeNames: names, expressionAttributeValues: values))
                        } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
                            try await write(UpdateItemInput(tableName: tableName, key: key, updateExpression: update + release,
                                                            conditionExpression: base, expressionAttributeNames: names,
                                                            expressionAttributeValues: values))
                        }
                    } else {
                        try await write(UpdateItemInput(tableName: tableName, key: key, updateExpression: update + release,
                                                        conditionExpression: base, expressionAttributeNames: names,
                                                        expressionAttributeValues: values))
                    }
                    break
                } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
                    // Another run marked the asset since the read (or the row is gone): read again.
                    guard attempt < Self.mergeAttempts else {
                        return result(status, date: nil, confirmed: false, error: "the asset row kept changing while it was "
                                      + "marked (\(Self.mergeAttempts) attempts): other runs are marking it")
                    }
                    try? await clock.sleep(seconds: 0.01 * Double(attempt))
                }
            }
            guard let confirmedRow = try await read(key) else {
                return result(status, date: nil, confirmed: false, error: Self.notRegistered)
            }
            // Confirmed: the row shows every table state this run wrote, each marked at this run's
            // attempt or later (another run may have marked its own tables of the asset since,
            // and with them the row's lastPollenationAttempt).
            let tables = confirmedRow["pollenationTables"]?.mapValue ?? [:]
            let markedAt = confirmedRow[Self.markedAtAttribute]?.mapValue ?? [:]
            let confirmed = states.allSatisfy { table, state in
                tables[table.rawValue]?.stringValue == state.rawValue
                    && (markedAt[table.rawValue]?.stringValue).map { $0 >= now } == true
            }
            let shownStatus = confirmedRow["pollenationStatus"]?.stringValue.flatMap(AssetStatus.init(rawValue:)) ?? status
            return result(shownStatus, date: confirmedRow["lastPollenationDate"]?.stringValue, confirmed: confirmed,
                          error: confirmed ? nil : "the read-back does not show this run's update")
        } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
            return result(runStatus, date: nil, confirmed: false, error: Self.notRegistered)
        } catch {
            return result(runStatus, date: nil, confirmed: false, error: "asset row update failed: \(error)")
        }
    }

    /// This run's outcome for the asset over the tables it selected.
    static func runStatus(states: [PollenTable: TableState], wroteAnything: Bool) -> AssetStatus {
        if states.values.allSatisfy({ $0 != .failed }) { return .complete }
        return wroteAnything ? .partial : .failed
    }

    /// The row's status over all five tables: COMPLETE only when each is `ok` or `nodata`.
    static func rowStatus(merged: [String: AttributeValue], runStatus: AssetStatus) -> AssetStatus {
        let allDone = PollenTable.dataTables.allSatisfy { table in
            let state = merged[table.rawValue]?.stringValue
            return state == TableState.ok.rawValue || state == TableState.nodata.rawValue
        }
        if allDone { return .complete }
        return runStatus == .complete ? .partial : runStatus
    }

    private func read(_ key: Item) async throws -> Item? {
        try await retrying.run {
            try await client.getItem(GetItemInput(tableName: tableName, key: key, consistentRead: true)).item
        }
    }

    private func write(_ input: UpdateItemInput) async throws {
        _ = try await retrying.run { try await client.updateItem(input) }
    }
}
