/// One line of a run's journal: what a killed run needs to resume without re-sending
/// anything acknowledged and without losing anything that was not.
public enum JournalRecord: Sendable, Codable, Equatable {
    /// The first line: what the run was asked to do.
    case run(JournalHeader)
    /// DynamoDB acknowledged these items (by key) of one (asset, table) pair.
    case acknowledged(symbol: String, table: PollenTable, keys: [String])
    /// The run stopped (a drain) before these items of one pair were sent, or before the ones
    /// DynamoDB left unprocessed were sent again: a resume writes them.
    case notSent(symbol: String, table: PollenTable, keys: [String])
    /// The asset row was updated with this status.
    case marked(symbol: String, status: AssetStatus)
    /// The run finished (a resume of it has nothing left to do).
    case finished(status: AssetStatus)

    private enum CodingKeys: String, CodingKey { case type, header, symbol, table, keys, status }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "run": self = .run(try container.decode(JournalHeader.self, forKey: .header))
        case "ack":
            self = .acknowledged(symbol: try container.decode(String.self, forKey: .symbol),
                                 table: try container.decode(PollenTable.self, forKey: .table),
                                 keys: try container.decode([String].self, forKey: .keys))
        case "unsent":
            self = .notSent(symbol: try container.decode(String.self, forKey: .symbol),
                            table: try container.decode(PollenTable.self, forKey: .table),
                            keys: try container.decode([String].self, forKey: .keys))
        case "mark":
            self = .marked(symbol: try container.decode(String.self, forKey: .symbol),
                           status: try container.decode(AssetStatus.self, forKey: .status))
        case "finished": self = .finished(status: try container.decode(AssetStatus.self, forKey: .status))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown record type \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .run(let header):
            try container.encode("run", forKey: .type)
            try container.encode(header, forKey: .header)
        case .acknowledged(let symbol, let table, let keys):
            try container.encode("ack", forKey: .type)
            try container.encode(symbol, forKey: .symbol)
            try container.encode(table, forKey: .table)
            try container.encode(keys, forKey: .keys)
        case .notSent(let symbol, let table, let keys):
            try container.encode("unsent", forKey: .type)
            try container.encode(symbol, forKey: .symbol)
            try container.encode(table, forKey: .table)
            try container.encode(keys, forKey: .keys)
        case .marked(let symbol, let status):
            try container.encode("mark", forKey: .type)
            try container.encode(symbol, forKey: .symbol)
            try container.encode(status, forKey: .status)
        case .finished(let status):
            try container.encode("finished", forKey: .type)
            try container.encode(status, forKey: .status)
        }
    }
}

/// What a run was asked to do, kept so that `--resume` repeats exactly the same work.
public struct JournalHeader: Sendable, Codable, Equatable {
    public var runId: String
    public var source: String
    public var tablePrefix: String
    /// The selected (asset, table) pairs, by symbol.
    public var work: [String: [PollenTable]]
    public var startedAt: String
    /// Where the run wrote: the endpoint and region (absent in journals of older versions).
    public var endpoint: String?
    public var region: String?

    public init(runId: String, source: String, tablePrefix: String, work: [String: [PollenTable]], startedAt: String,
                endpoint: String? = nil, region: String? = nil) {
        self.runId = runId
        self.source = source
        self.tablePrefix = tablePrefix
        self.work = work
        self.startedAt = startedAt
        self.endpoint = endpoint
        self.region = region
    }

    /// Why a resume into `endpoint`, `region` and `tablePrefix` would be wrong: the keys this
    /// journal calls acknowledged were written elsewhere, so skipping them would lose them.
    public func mismatch(endpoint: String, region: String, tablePrefix: String) -> String? {
        var differences: [String] = []
        if tablePrefix != self.tablePrefix {
            differences.append("table prefix '\(self.tablePrefix)', not '\(tablePrefix)'")
        }
        if let written = self.endpoint, written != endpoint { differences.append("endpoint \(written), not \(endpoint)") }
        if let written = self.region, written != region { differences.append("region \(written), not \(region)") }
        guard !differences.isEmpty else { return nil }
        return "the journal of run \(runId) was written for " + differences.joined(separator: ", ")
            + ": resume against the same tables, or start a new run (nothing was written)"
    }
}
