/// How one cell is drawn: its meaning (the theme decides the colors) and extra attributes.
public struct CellStyle: Hashable, Sendable {
    public var role: ThemeRole
    public var attributes: CellAttributes

    public init(_ role: ThemeRole, _ attributes: CellAttributes = []) {
        self.role = role
        self.attributes = attributes
    }
}
