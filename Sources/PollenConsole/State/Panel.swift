/// The panels the operator moves between with Tab; the focused one takes the arrow keys.
public enum Panel: String, CaseIterable, Sendable {
    case tables, assets, log
}
