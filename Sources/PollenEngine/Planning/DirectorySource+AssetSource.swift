import PollenSource

/// Saved Alpha Vantage bodies (`--source DIR`) as the engine's asset source.
extension DirectorySource: AssetSource {
    public var sourceDescription: String { root.standardizedFileURL.path }
}
