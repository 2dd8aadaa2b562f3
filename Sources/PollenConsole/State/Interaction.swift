/// What the operator is doing with the console: focus and selections, the open overlay, the
/// filter being typed, the last hint, the theme, and summary or live panels.
public struct Interaction: Sendable {
    public var focus: Panel = .tables
    public var selectedTable = 0
    public var selectedAsset = 0
    public var overlay: Overlay?
    /// The filter being typed after `/` (for the event log, or the summary's assets); `nil`
    /// when not typing.
    public var filterDraft: String?
    /// The filter applied to the summary's assets, lower-cased; `nil` lists them all.
    public var assetFilter: String?
    public var hint: Hint?
    /// The themes `t` cycles through, and the one in use.
    public var themeNames: [String]
    public var themeIndex = 0
    /// Once a run has ended: whether the summary (rather than the live panels) is shown.
    public var showsSummary = false

    public init(themeNames: [String], themeIndex: Int = 0) {
        self.themeNames = themeNames.isEmpty ? [ThemeLoader.defaultName] : themeNames
        self.themeIndex = min(max(0, themeIndex), self.themeNames.count - 1)
    }

    public var themeName: String { themeNames[themeIndex] }
}
