import PollenDynamoDB

/// What DynamoDB announces about a table's write capacity (`DescribeTable`).
///
/// Provisioned WCU and an on-demand table's `OnDemandThroughput.MaxWriteRequestUnits` are
/// ceilings a writer must stay under; `WarmThroughput.WriteUnitsPerSecond` is what the table can
/// take at once, the natural ceiling for the first seconds of a table whose limit is not
/// announced. Whatever is not announced (account quotas, partition limits) the rate controller
/// learns from DynamoDB's answers.
public struct TableCapacity: Sendable, Equatable, Codable {
    /// Provisioned write units per second; `nil` for on-demand tables.
    public var provisionedWCU: Int?
    /// An on-demand table's maximum write request units per second; `nil` when it has none.
    public var maxOnDemandWCU: Int?
    /// Write units per second the table can take at once; `nil` when DynamoDB does not say.
    public var warmWCU: Int?

    public init(provisionedWCU: Int? = nil, maxOnDemandWCU: Int? = nil, warmWCU: Int? = nil) {
        self.provisionedWCU = provisionedWCU
        self.maxOnDemandWCU = maxOnDemandWCU
        self.warmWCU = warmWCU
    }

    public init(_ description: TableDescription) {
        self.init(provisionedWCU: description.provisionedWriteCapacity, maxOnDemandWCU: description.maxOnDemandWriteUnits,
                  warmWCU: description.warmWriteUnits)
    }

    /// The announced ceiling on writes: provisioned WCU, else the on-demand maximum; `nil` if none.
    public var announcedWCU: Int? { provisionedWCU ?? maxOnDemandWCU }
}
