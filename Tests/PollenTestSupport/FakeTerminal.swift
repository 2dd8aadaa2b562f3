import Foundation
import PollenConsole
import Synchronization

/// An in-memory terminal: keeps the frames drawn (the last one, and how many), the themes they
/// were drawn with, hands out keys the test queues, and waits out read timeouts like a real
/// terminal would. Thread-safe: the console's thread draws while the test inspects.
public final class FakeTerminal: TerminalBackend, Sendable {
    private struct State {
        var size: (width: Int, height: Int)
        var keys: [Key] = []
        var frames = 0
        var lastFrame: CellBuffer?
        var themes: [String] = []
        var restores = 0
    }

    private let state: Mutex<State>

    public init(width: Int = 80, height: Int = 24) {
        state = Mutex(State(size: (width, height)))
    }

    public var size: (width: Int, height: Int) { state.withLock { $0.size } }

    public func draw(_ buffer: CellBuffer, theme: Theme) {
        state.withLock { state in
            state.frames += 1
            state.lastFrame = buffer
            if state.themes.last != theme.name { state.themes.append(theme.name) }
        }
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        if let key = state.withLock({ $0.keys.isEmpty ? nil : $0.keys.removeFirst() }) { return key }
        Thread.sleep(forTimeInterval: Double(timeoutMilliseconds) / 1000)
        return nil
    }

    public func restore() {
        state.withLock { $0.restores += 1 }
    }

    // MARK: - For the test

    public func press(_ keys: Key...) {
        state.withLock { $0.keys += keys }
    }

    /// Changes the size and delivers the resize key, as ncurses does.
    public func resize(width: Int, height: Int) {
        state.withLock { state in
            state.size = (width, height)
            state.keys.append(.resize)
        }
    }

    public var frames: Int { state.withLock { $0.frames } }
    public var lastFrame: CellBuffer? { state.withLock { $0.lastFrame } }
    public var themes: [String] { state.withLock { $0.themes } }
    public var restores: Int { state.withLock { $0.restores } }

    /// The last frame's text, one string.
    public var screen: String { lastFrame?.textLines.joined(separator: "\n") ?? "" }
}
