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

    static let notRegistered = "asset not registered"

    /// Marks `symbol` with this run's table states and returns what the read-back confirmed.
    func mark(symbol: String, states: [PollenTable: TableState], wroteAnything: Bool) async -> AssetMark {
        let started = clock.now()
        let now = Timestamp.iso8601(clock.date())
        let key: Item = ["symbol": .s(symbol)]
        func result(_ status: AssetStatus, date: String?, confirmed: Bool, error: String?) -> AssetMark {
            AssetMark(symbol: symbol, status: status, lastPollenationDate: date, confirmed: confirmed, error: error,
                      durationSeconds: clock.now() - started)
        }
        let runStatus = Self.runStatus(states: states, wroteAnything: wroteAnything)
        do {
            guard let row = try await read(key) else {
                return result(runStatus, date: nil, confirmed: false, error: Self.notRegistered)
            }
            var merged: [String: AttributeValue] = row["pollenationTables"]?.mapValue ?? [:]
            for (table, state) in states { merged[table.rawValue] = .s(state.rawValue) }
            let status = Self.rowStatus(merged: merged, runStatus: runStatus)
            let values: Item = [":status": .s(status.rawValue), ":now": .s(now), ":tables": .m(merged)]
            var update = "SET pollenationStatus = :status, lastPollenationAttempt = :now, pollenationTables = :tables"
            var condition = "attribute_exists(symbol)"
            if status == .complete {
                update += ", lastPollenationDate = :now"
                condition += " AND (attribute_not_exists(lastPollenationDate) OR lastPollenationDate < :now)"
            }
            do {
                try await write(UpdateItemInput(tableName: tableName, key: key, updateExpression: update,
                                                conditionExpression: condition, expressionAttributeValues: values))
            } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" && status == .complete {
                // A newer lastPollenationDate is kept; the rest of the mark still applies.
                try await write(UpdateItemInput(
                    tableName: tableName, key: key,
                    updateExpression: "SET pollenationStatus = :status, lastPollenationAttempt = :now, pollenationTables = :tables",
                    conditionExpression: "attribute_exists(symbol)", expressionAttributeValues: values))
            }
            guard let confirmedRow = try await read(key) else {
                return result(status, date: nil, confirmed: false, error: Self.notRegistered)
            }
            let confirmed = confirmedRow["pollenationStatus"]?.stringValue == status.rawValue
                && confirmedRow["lastPollenationAttempt"]?.stringValue == now
            return result(status, date: confirmedRow["lastPollenationDate"]?.stringValue, confirmed: confirmed,
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
