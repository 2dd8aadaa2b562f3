import PollenEngine

/// A window drawn over the panels; Esc closes it.
public enum Overlay: Equatable, Sendable {
    case help
    /// The details of a table or an asset, scrolled down `scroll` lines.
    case drillDown(DrillTarget, scroll: Int)
    /// "Quit while writes are in flight?"
    case confirmQuit
}

/// What a drill-down shows.
public enum DrillTarget: Equatable, Sendable {
    case table(PollenTable)
    case asset(String)
}
