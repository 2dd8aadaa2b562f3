/// Every key the console answers to, in the order help lists them.
///
/// The help overlay and the footer are generated from this list, so they cannot drift from
/// what the keys do.
public struct KeyMap: Sendable {
    public var bindings: [KeyBinding]
    private var actions: [Key: OperatorAction]

    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
        var actions: [Key: OperatorAction] = [:]
        for binding in bindings {
            for key in binding.keys where actions[key] == nil { actions[key] = binding.action }
        }
        self.actions = actions
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> OperatorAction? {
        actions[key]
    }

    /// The standard bindings (k9s and htop habits).
    public static let standard = KeyMap([
        KeyBinding([.character("?")], .help, help: "show or hide this help", footer: "help"),
        KeyBinding([.up, .character("k")], .selectPrevious, help: "select the previous row / scroll up"),
        KeyBinding([.down, .character("j")], .selectNext, help: "select the next row / scroll down"),
        KeyBinding([.pageUp], .pageUp, help: "move up one page"),
        KeyBinding([.pageDown], .pageDown, help: "move down one page"),
        KeyBinding([.tab], .nextPanel, help: "focus the next panel: tables, assets, events", footer: "panel"),
        KeyBinding([.backTab], .previousPanel, help: "focus the previous panel"),
        KeyBinding([.enter], .drillDown, help: "details of the selected table or asset", footer: "details"),
        KeyBinding([.escape], .close, help: "close the overlay, or clear the filter"),
        KeyBinding([.character("/")], .filterLog, help: "filter the log or the summary's assets (Enter, Esc)",
                   footer: "filter"),
        KeyBinding([.character("p")], .pauseResume, help: "pause or resume (in-flight batches finish)",
                   footer: "pause/resume"),
        KeyBinding([.character("+"), .character("=")], .raiseCap, help: "raise the write-rate cap by 10%",
                   footer: "cap"),
        KeyBinding([.character("-")], .lowerCap, help: "lower the write-rate cap by 10%", footer: "cap"),
        KeyBinding([.character("r")], .rerunSelected, help: "re-run the selected table where it failed",
                   footer: "re-run"),
        KeyBinding([.character("R")], .rerunAll, help: "re-run everything that failed", footer: "re-run all"),
        KeyBinding([.character("s")], .toggleSummary, help: "switch between the summary and the live panels",
                   footer: "summary"),
        KeyBinding([.character("t")], .cycleTheme, help: "next color theme", footer: "theme"),
        KeyBinding([.character("q")], .quit, help: "quit (asks first while writes are in flight)", footer: "quit"),
    ])
}
