/// Keys bound to one operator action, with the help text the overlay shows for them.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: OperatorAction
    /// One line for the help overlay.
    public var help: String
    /// A word or two for the footer, for the bindings worth showing there.
    public var footer: String?

    public init(_ keys: [Key], _ action: OperatorAction, help: String, footer: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.footer = footer
    }

    /// The keys as help writes them (`Up/k`).
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}
