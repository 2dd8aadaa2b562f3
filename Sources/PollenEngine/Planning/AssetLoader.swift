import Foundation
import PollenSource

/// One (asset, table) pair read, validated and mapped: the items to write, or why there are none.
public struct LoadedTable: Sendable {
    public enum Content: Sendable {
        case items([ItemMapper.MappedItem])
        case noData
        case failed(String)
        /// The source never fetched the payload (a daily limit or budget): the asset is left
        /// for a later run.
        case notFetched(String)
    }

    public var table: PollenTable
    public var content: Content
    /// The first rejected records with their reasons (``ParsedPayload/keptRejections``).
    public var rejected: [RecordRejection]
    /// How many records were rejected in all.
    public var rejectedCount = 0
    public var duplicates: [String]
    /// Items left out because a resumed run's journal says they were already written.
    public var alreadyWritten: Int

    /// Items still to send.
    public var items: [ItemMapper.MappedItem] {
        if case .items(let items) = content { return items }
        return []
    }
}

/// Reads one asset's payloads and turns them into items, table by table.
public struct AssetLoader: Sendable {
    public let source: any AssetSource
    public let runID: String

    public init(source: any AssetSource, runID: String) {
        self.source = source
        self.runID = runID
    }

    /// Loads `tables` of `symbol`; items that `alreadyWritten` says were acknowledged are left out.
    public func load(symbol: String, tables: [PollenTable], at date: Date,
                     alreadyWritten: (PollenTable, String) -> Bool = { _, _ in false }) async -> [LoadedTable] {
        let mapper = ItemMapper(runID: runID, ingestedAt: date)
        var loaded: [LoadedTable] = []
        for table in tables {
            guard let function = table.sourceFunction else { continue }
            switch await source.load(symbol: symbol, function: function) {
            case .noData:
                loaded.append(LoadedTable(table: table, content: .noData, rejected: [], duplicates: [], alreadyWritten: 0))
            case .failed(let failure):
                loaded.append(LoadedTable(table: table, content: failure.kind == .notFetched ? .notFetched(failure.message)
                                                                                            : .failed(failure.message),
                                          rejected: [], duplicates: [], alreadyWritten: 0))
            case .records(var payload):
                var items: [ItemMapper.MappedItem] = []
                var skipped = 0
                for record in payload.records {
                    switch mapper.map(record, symbol: symbol, function: function) {
                    case .item(let mapped):
                        if alreadyWritten(table, mapped.key) { skipped += 1 } else { items.append(mapped) }
                    case .rejected(let rejection):
                        payload.reject(rejection)
                    }
                }
                loaded.append(LoadedTable(table: table, content: .items(items), rejected: payload.rejected,
                                          rejectedCount: payload.rejectedCount, duplicates: payload.duplicates,
                                          alreadyWritten: skipped))
            }
        }
        return loaded
    }
}
