/// What a piece of the screen means.
///
/// Widgets paint meanings, never colors: a theme decides what each role looks like, so one
/// file restyles the whole console and color-blind or light-background operators are served
/// by swapping themes rather than code.
public enum ThemeRole: String, CaseIterable, Sendable {
    case text, muted, accent, ok, warn, error
    case background, border, focus, title, header, selection
    case barFill, barEmpty, graph, capacityLine

    /// How the role still stands out without color (`NO_COLOR`, the monochrome theme).
    public var noColorAttributes: CellAttributes {
        switch self {
        case .error: return [.bold, .underline]
        case .warn, .accent, .title, .capacityLine, .focus: return .bold
        case .muted, .barEmpty, .border: return .dim
        case .header: return [.bold, .underline]
        case .selection: return .reverse
        case .text, .ok, .background, .barFill, .graph: return []
        }
    }
}
