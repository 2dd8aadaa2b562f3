import Foundation

/// A detached tmux session on a private server, for driving the real binary's console:
/// `send-keys`, `capture-pane`, resizing, and waiting for text to appear.
public final class Tmux: @unchecked Sendable {
    public let session = "pollen"
    private let socket = "pollen-test-\(UUID().uuidString.prefix(8))"

    /// Starts `command` (run by `bash -c`) in a session of `width` × `height`.
    public init(command: String, width: Int, height: Int) throws {
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                  "bash", "-c", command])
        try tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// Runs one tmux command with `posix_spawn` and `waitpid`. (Foundation's `Process` does
    /// not notice the exit of a tmux client whose server it forked, so it is not used here.)
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The tmux server forked from this client inherits its signal mask; a test thread's
        // blocked SIGCHLD would leave it unable to reap the pane and to honour kill-server.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TmuxError.failed(arguments.joined(separator: " "), "cannot start tmux") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TmuxError.failed(arguments.joined(separator: " "), text) }
        return text
    }

    /// The visible screen, one line per row.
    public func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", session])
    }

    /// The scrollback and the visible screen: once the pane's program has exited, tmux
    /// scrolls the screen by a line to say "Pane is dead", so the top line is in the history.
    public func captureWithHistory() throws -> String {
        try tmux(["capture-pane", "-p", "-S", "-", "-t", session])
    }

    /// Sends keys as tmux names them (`?`, `p`, `Escape`, `Down`, `q`, `y`).
    public func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Whether the pane shows the alternate screen (a full-screen program is still drawing).
    public func alternateScreenOn() throws -> Bool {
        try tmux(["display-message", "-p", "-t", session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits until the screen contains `text`; returns the screen, or throws with the last one seen.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if screen.contains(text) { return screen }
            usleep(100_000)
        }
        throw TmuxError.timedOut(waitingFor: text, screen: screen)
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }
}

public enum TmuxError: Error, CustomStringConvertible {
    case failed(String, String)
    case timedOut(waitingFor: String, screen: String)

    public var description: String {
        switch self {
        case .failed(let command, let error): return "tmux \(command) failed: \(error)"
        case .timedOut(let text, let screen): return "timed out waiting for '\(text)'; the screen was:\n\(screen)"
        }
    }
}
