/// Why the terminal cannot host the console.
public enum TerminalError: Error, CustomStringConvertible {
    /// ncurses could not set up the terminal (unknown `TERM`, not a terminal).
    case cannotStart(term: String)

    public var description: String {
        switch self {
        case .cannotStart(let term):
            return "the terminal cannot be used for the console (TERM=\(term.isEmpty ? "(unset)" : term))"
        }
    }
}
