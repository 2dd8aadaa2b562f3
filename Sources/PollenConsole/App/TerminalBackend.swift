/// The one thing that talks to the terminal: draws frames and reads keys.
///
/// ``ConsoleApp`` calls it from one thread only. The real one is `NcursesTerminal`; tests use
/// an in-memory one.
public protocol TerminalBackend: AnyObject {
    /// The terminal's size in cells.
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer`, touching only the cells that changed since the last frame.
    func draw(_ buffer: CellBuffer, theme: Theme)
    /// The next key pressed within `timeoutMilliseconds`, or `nil`.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Gives the terminal back as it was; safe to call more than once.
    func restore()
}
