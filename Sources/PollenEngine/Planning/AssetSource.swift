import PollenSource

/// Where an asset's payloads come from: a directory of saved bodies or the live API.
///
/// The seam between the engine and the sources; tests put scripted payloads behind it.
public protocol AssetSource: Sendable {
    /// A description for reports and the journal (`/data/av`, `alphavantage`).
    var sourceDescription: String { get }
    /// The payload of `function` for `symbol`, parsed and validated.
    func load(symbol: String, function: SourceFunction) async -> PayloadContent
    /// Called when a run starts, so that a source with progress of its own (fetching) can
    /// report it in the run's event stream.
    func attach(_ events: EventEmitter)
    /// Why nothing more can come from the source (the API refused the key), once so: the run
    /// stops with it.
    var fatalError: String? { get }
}

extension AssetSource {
    public func attach(_ events: EventEmitter) {}
    public var fatalError: String? { nil }
}
