import Foundation
import PollenDynamoDB
import PollenSource
import Synchronization

/// Who holds a table of an asset: one run on one host, named in the asset's row.
public struct LeaseHolder: Sendable, Equatable, Codable {
    public var runId: String
    public var host: String
    /// When the lease runs out, by the holder's clock (epoch seconds).
    public var expiresAt: Double
    /// When the holder took it (`YYYY-MM-DDTHH:MM:SSZ`).
    public var since: String?

    public init(runId: String, host: String, expiresAt: Double, since: String? = nil) {
        self.runId = runId
        self.host = host
        self.expiresAt = expiresAt
        self.since = since
    }

    /// `held by run R on host H until T`: what a run that met the lease reports.
    public var description: String {
        "held by run \(runId) on host \(host) until \(Timestamp.iso8601(Date(timeIntervalSince1970: expiresAt)))"
    }

    /// The row attribute holding the lease of one table (`leaseEarnings`).
    static func attribute(_ table: PollenTable) -> String {
        "lease" + table.rawValue.prefix(1).uppercased() + table.rawValue.dropFirst()
    }

    /// Every table's lease in an asset row.
    static func leases(in row: Item) -> [PollenTable: LeaseHolder] {
        var leases: [PollenTable: LeaseHolder] = [:]
        for table in PollenTable.dataTables {
            guard let map = row[attribute(table)]?.mapValue, let runId = map["runId"]?.stringValue,
                  let host = map["host"]?.stringValue, let expires = map["expiresAt"]?.numberValue.flatMap(Double.init)
            else { continue }
            leases[table] = LeaseHolder(runId: runId, host: host, expiresAt: expires, since: map["since"]?.stringValue)
        }
        return leases
    }

    /// What other runs note in a lease's map for its holder, under `KIND:RUN` (the noting run's
    /// host as the value).
    enum Note: String, CaseIterable, Sendable {
        /// RUN was refused the lease: it shares the holder's selection.
        case contender
        /// RUN, which met the holder, is done: its share of the tables is free.
        case done

        func key(run: String) -> String { rawValue + ":" + run }
    }

    /// The runs that left `kind` notes in the leases `runId` holds in `row`.
    static func notes(_ kind: Note, in row: Item, heldBy runId: String) -> [String] {
        let prefix = kind.key(run: "")
        var runs: Set<String> = []
        for table in PollenTable.dataTables {
            guard let map = row[attribute(table)]?.mapValue, map["runId"]?.stringValue == runId else { continue }
            for key in map.keys where key.hasPrefix(prefix) { runs.insert(String(key.dropFirst(prefix.count))) }
        }
        return runs.sorted()
    }

    var item: AttributeValue {
        var map: [String: AttributeValue] = ["runId": .s(runId), "host": .s(host), "expiresAt": .n(AssetLeases.number(expiresAt))]
        if let since { map["since"] = .s(since) }
        return .m(map)
    }
}

/// Per-(asset, table) leases in the `assets` table, so that runs started at once (by several
/// operators, or one backfill split over machines) never write the same data twice, while runs
/// writing different tables of one asset go on side by side: DynamoDB's conditional writes are
/// the lock, as in DynamoDB lock clients and lease tables.
///
/// A run takes the leases of an asset's tables before its first write (one conditional update
/// that holds only when each is free, this run's, or ran out more than `skewAllowance` ago),
/// renews them while the asset's batches run, and gives them up in the same update as the
/// asset's mark (see ``AssetMarker``). A table another run wrote and marked since this run
/// started is its work done, and left out. A crashed run's leases run out and are taken over.
/// Expiry times come from each host's clock: a lease is safe while the hosts' clocks differ by
/// less than `skewAllowance`.
public final class AssetLeases: Sendable {
    /// What taking an asset's leases found.
    public enum Acquisition: Sendable, Equatable {
        /// This run holds the leases of `tables` (new, renewed, taken back on resume, or taken
        /// over from `lapsed` runs); the asset's other tables were done by other runs meanwhile.
        case taken(tables: [PollenTable], lapsed: [LeaseHolder])
        /// Another run holds one of the tables, and its lease is live.
        case heldByOther(LeaseHolder)
        /// Other runs wrote and marked every one of the tables since `since` (this run's start).
        case doneByOthers(markedAt: String)
        /// The asset has no row.
        case notRegistered
    }

    public let runId: String
    public let host: String
    /// Runs whose leases this run takes as its own: the finished run it re-runs (`--rerun`),
    /// whose leases a failed release may have left behind until they run out.
    public let predecessors: [String]
    /// How long a lease lasts without renewal.
    public let duration: Double
    /// How far two hosts' clocks may differ: a lapsed lease is taken over only this long after it ran out.
    public let skewAllowance: Double
    /// When this run started: a table marked since then by another run is that run's work, done.
    let startedAt: String
    let client: DynamoDBClient
    let tableName: String
    let retrying: Retrying
    let clock: any EngineClock
    /// How many notes this run has left for each run whose leases it was refused (see
    /// ``noteContention(_:table:holder:)``).
    private let notedHolders = Mutex<[String: Int]>([:])
    /// Notes of contention left for each holder: more than one, in case the holder read its first
    /// row before the note was there.
    static let contentionNotes = 3

    public static let defaultDuration = 60.0
    public static let defaultSkewAllowance = 30.0

    init(client: DynamoDBClient, tableName: String, runId: String, host: String, startedAt: String,
         predecessors: [String] = [], duration: Double = defaultDuration, skewAllowance: Double = defaultSkewAllowance,
         retrying: Retrying, clock: any EngineClock) {
        self.client = client
        self.tableName = tableName
        self.runId = runId
        self.host = host
        self.predecessors = predecessors.filter { $0 != runId }
        self.startedAt = startedAt
        self.duration = duration
        self.skewAllowance = skewAllowance
        self.retrying = retrying
        self.clock = clock
    }

    private var now: Double { clock.date().timeIntervalSince1970 }

    /// Takes (or renews) the leases of `symbol`'s `tables` for this run.
    ///
    /// One conditional update per try: it takes the leases when each is free, and answers what
    /// it replaced; refused, it answers the row as it was, which says why (a live lease of
    /// another run, tables other runs have done, no row). Nothing is read first.
    func acquire(_ symbol: String, tables: [PollenTable]) async throws -> Acquisition {
        let key: Item = ["symbol": .s(symbol)]
        var remaining = tables
        for _ in 0..<Self.unexplainedRefusals {
            let row: Item
            switch try await take(key, tables: remaining) {
            case .taken(let acquisition): return acquisition
            case .refused(nil): return .notRegistered
            case .refused(let found?): row = found
            }
            // Tables another run wrote and marked since this run started are done.
            let states = row["pollenationTables"]?.mapValue ?? [:]
            let markedAt = row[AssetMarker.markedAtAttribute]?.mapValue ?? [:]
            let done = tables.filter { table in
                let state = states[table.rawValue]?.stringValue
                return (state == TableState.ok.rawValue || state == TableState.nodata.rawValue)
                    && (markedAt[table.rawValue]?.stringValue).map { $0 >= startedAt } == true
            }
            remaining = tables.filter { !done.contains($0) }
            if remaining.isEmpty { return .doneByOthers(markedAt: done.compactMap { markedAt[$0.rawValue]?.stringValue }.max() ?? startedAt) }
            let leases = LeaseHolder.leases(in: row)
            if let (table, live) = remaining.compactMap({ table in leases[table].map { (table, $0) } })
                .first(where: { !isOwn($0.1) && $0.1.expiresAt + skewAllowance >= now }) {
                await noteContention(key, table: table, holder: live)
                return .heldByOther(live)
            }
            // A lease given up or run out, or a table marked, since that update: try again.
        }
        throw DynamoDBError(category: .client, code: "LeaseRefused",
                            message: "the row of \(ExternalText.escaped(symbol, singleLine: true)) refused its leases \(Self.unexplainedRefusals) times although nothing in it holds them",
                            operation: "UpdateItem", tables: [tableName])
    }

    /// Notes in `holder`'s lease of `table` that this run was refused it (until
    /// ``contentionNotes`` such notes hold, for each holder): the holder reads them in its rows,
    /// and so learns that this run shares the selection within a fraction of a second, without
    /// waiting to be refused one of this run's assets (the first run to start met the others only
    /// after its slow start had overshot the table). A hint: a note that fails is not an error.
    private func noteContention(_ key: Item, table: PollenTable, holder: LeaseHolder) async {
        guard notedHolders.withLock({ $0[holder.runId, default: 0] < Self.contentionNotes }) else { return }
        if await note(.contender, in: key, table: table, heldBy: holder.runId) {
            notedHolders.withLock { $0[holder.runId, default: 0] += 1 }
        }
    }

    /// Notes in `runId`'s live lease in `symbol`'s row, if it holds one, that this run is done
    /// (one consistent read and one conditional update); `false` when it holds none there.
    func noteDone(to runId: String, in symbol: String) async -> Bool {
        let key: Item = ["symbol": .s(symbol)]
        guard let table = try? await liveLease(of: runId, in: symbol, consistent: true) else { return false }
        return await note(.done, in: key, table: table, heldBy: runId)
    }

    /// The notes other runs left in this run's leases in `symbol`'s row (one eventually
    /// consistent read; none when it cannot be read).
    func notesToThisRun(in symbol: String) async -> [LeaseHolder.Note: [String]] {
        guard let row = try? await client.getItem(GetItemInput(tableName: tableName, key: ["symbol": .s(symbol)])).item else {
            return [:]
        }
        var notes: [LeaseHolder.Note: [String]] = [:]
        for kind in LeaseHolder.Note.allCases {
            let runs = LeaseHolder.notes(kind, in: row, heldBy: runId)
            if !runs.isEmpty { notes[kind] = runs }
        }
        return notes
    }

    /// Sets this run's `kind` note in `holder`'s lease of `table`, if it is still theirs.
    private func note(_ kind: LeaseHolder.Note, in key: Item, table: PollenTable, heldBy holder: String) async -> Bool {
        do {
            _ = try await client.updateItem(UpdateItemInput(
                tableName: tableName, key: key, updateExpression: "SET #l.#note = :host", conditionExpression: "#l.#run = :holder",
                expressionAttributeNames: ["#l": LeaseHolder.attribute(table), "#note": kind.key(run: runId), "#run": "runId"],
                expressionAttributeValues: [":host": .s(host), ":holder": .s(holder)]))
            return true
        } catch {
            return false
        }
    }

    /// Whether `runId` still holds a live lease in `symbol`'s row (one eventually consistent
    /// read): a hint, so a row that cannot be read counts as still held.
    func holdsLease(of runId: String, in symbol: String) async -> Bool {
        do {
            return try await liveLease(of: runId, in: symbol, consistent: false) != nil
        } catch {
            return true
        }
    }

    /// The table of a live lease `runId` holds in `symbol`'s row, if any.
    private func liveLease(of runId: String, in symbol: String, consistent: Bool) async throws -> PollenTable? {
        let row = try await client.getItem(GetItemInput(tableName: tableName, key: ["symbol": .s(symbol)],
                                                        consistentRead: consistent)).item
        return LeaseHolder.leases(in: row ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.first {
            $0.value.runId == runId && $0.value.expiresAt + skewAllowance >= now
        }?.key
    }

    /// Whether `holder` is this run, or a run whose leases it took on.
    private func isOwn(_ holder: LeaseHolder) -> Bool {
        holder.runId == runId || predecessors.contains(holder.runId)
    }

    /// Refusals in a row that the row does not explain before taking the leases is given up.
    static let unexplainedRefusals = 8

    private enum Take {
        case taken(Acquisition)
        /// The row as it was (`nil`: there is none).
        case refused(Item?)
    }

    /// One conditional update that takes the leases of `tables` when each is free, this run's (or
    /// a predecessor's), or ran out more than `skewAllowance` ago, and none of them was done by
    /// another run since this run started.
    private func take(_ key: Item, tables: [PollenTable]) async throws -> Take {
        let lease = LeaseHolder(runId: runId, host: host, expiresAt: now + duration, since: Timestamp.iso8601(clock.date()))
        var names: [String: String] = ["#run": "runId", "#expires": "expiresAt", "#states": "pollenationTables",
                                       "#marked": AssetMarker.markedAtAttribute]
        var conditions = ["attribute_exists(symbol)"]
        var values: Item = [":lease": lease.item, ":run": .s(runId), ":lapsed": .n(Self.number(now - skewAllowance)),
                            ":ok": .s(TableState.ok.rawValue), ":nodata": .s(TableState.nodata.rawValue),
                            ":started": .s(startedAt)]
        for (index, predecessor) in predecessors.enumerated() { values[":p\(index)"] = .s(predecessor) }
        let owners = ([":run"] + predecessors.indices.map { ":p\($0)" }).joined(separator: ", ")
        for (index, table) in tables.enumerated() {
            names["#l\(index)"] = LeaseHolder.attribute(table)
            names["#t\(index)"] = table.rawValue
            conditions.append("(attribute_not_exists(#l\(index)) OR #l\(index).#run IN (\(owners)) OR #l\(index).#expires < :lapsed)")
            conditions.append("NOT (#states.#t\(index) IN (:ok, :nodata) AND #marked.#t\(index) >= :started)")
        }
        do {
            let output = try await retrying.run {
                try await client.updateItem(UpdateItemInput(
                    tableName: tableName, key: key,
                    updateExpression: "SET " + tables.indices.map { "#l\($0) = :lease" }.joined(separator: ", "),
                    conditionExpression: conditions.joined(separator: " AND "), expressionAttributeNames: names,
                    expressionAttributeValues: values,
                    returnValues: .updatedOld, returnValuesOnConditionCheckFailure: .allOld))
            }
            // The leases it replaced were this run's (a resume), a predecessor's, or ran out (a crashed run's).
            var lapsed: [LeaseHolder] = []
            for holder in LeaseHolder.leases(in: output.attributes ?? [:]).values.sorted(by: { $0.runId < $1.runId })
            where !isOwn(holder) && !lapsed.contains(where: { $0.runId == holder.runId }) {
                lapsed.append(holder)
            }
            return .taken(.taken(tables: tables, lapsed: lapsed))
        } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
            return .refused(error.item.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// Extends this run's leases of `symbol`'s `tables`; `false` when the run no longer holds one.
    func renew(_ symbol: String, tables: [PollenTable]) async -> Bool {
        guard !tables.isEmpty else { return true }
        var names: [String: String] = ["#run": "runId", "#expires": "expiresAt"]
        for (index, table) in tables.enumerated() { names["#l\(index)"] = LeaseHolder.attribute(table) }
        do {
            _ = try await retrying.run {
                try await client.updateItem(UpdateItemInput(
                    tableName: tableName, key: ["symbol": .s(symbol)],
                    updateExpression: "SET " + tables.indices.map { "#l\($0).#expires = :expires" }.joined(separator: ", "),
                    conditionExpression: tables.indices.map { "#l\($0).#run = :run" }.joined(separator: " AND "),
                    expressionAttributeNames: names,
                    expressionAttributeValues: [":run": .s(runId), ":expires": .n(Self.number(now + duration))]))
            }
            return true
        } catch {
            return false
        }
    }

    /// Gives up this run's leases of `symbol`'s `tables` (when they were not given up with the
    /// mark); a table another run has taken over keeps that run's lease.
    func release(_ symbol: String, tables: [PollenTable]) async {
        for table in tables {
            _ = try? await retrying.run {
                try await client.updateItem(UpdateItemInput(
                    tableName: tableName, key: ["symbol": .s(symbol)], updateExpression: "REMOVE #l",
                    conditionExpression: "#l.#run = :run", expressionAttributeNames: ["#l": LeaseHolder.attribute(table), "#run": "runId"],
                    expressionAttributeValues: [":run": .s(runId)]))
            }
        }
    }

    /// Keeps renewing the leases of `symbol`'s `tables` every third of their duration while `work` runs.
    func holding<T: Sendable>(_ symbol: String, tables: [PollenTable], while work: () async -> T) async -> T {
        let renewal = Task {
            while !Task.isCancelled {
                try? await clock.sleep(seconds: duration / 3)
                if Task.isCancelled { break }
                _ = await renew(symbol, tables: tables)
            }
        }
        defer { renewal.cancel() }
        return await work()
    }

    /// Epoch seconds as a DynamoDB number, to the millisecond.
    static func number(_ seconds: Double) -> String {
        DynamoDBNumber.canonical(String(format: "%.3f", seconds)) ?? "0"
    }
}
