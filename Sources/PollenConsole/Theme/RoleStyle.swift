/// What one role looks like in a theme: foreground, background and attributes.
public struct RoleStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: CellAttributes

    public init(foreground: ThemeColor, background: ThemeColor, attributes: CellAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
