/// A complete look for the console: one ``RoleStyle`` for every ``ThemeRole``.
///
/// Themes come from YAML files (see `themes/README.md`) through ``ThemeLoader``; the backend
/// asks ``style(for:color:)`` what to draw for each cell.
public struct Theme: Hashable, Sendable {
    public var name: String
    private var styles: [ThemeRole: RoleStyle]

    /// A theme from its role styles; roles left out look like `text`.
    public init(name: String, styles: [ThemeRole: RoleStyle]) {
        self.name = name
        let text = styles[.text] ?? RoleStyle(foreground: .terminalDefault, background: .terminalDefault)
        self.styles = Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, styles[$0] ?? text) })
    }

    /// The role's style in this theme.
    public func style(for role: ThemeRole) -> RoleStyle {
        styles[role]!
    }

    /// What a cell looks like on screen: its role's colors (or none) and attributes, plus the
    /// cell's own attributes. Without color, roles keep apart through their
    /// ``ThemeRole/noColorAttributes``.
    public func style(for cell: CellStyle, color: Bool) -> RoleStyle {
        let role = style(for: cell.role)
        guard color else {
            return RoleStyle(foreground: .terminalDefault, background: .terminalDefault,
                             attributes: role.attributes.union(cell.role.noColorAttributes).union(cell.attributes))
        }
        return RoleStyle(foreground: role.foreground, background: role.background,
                         attributes: role.attributes.union(cell.attributes))
    }
}
