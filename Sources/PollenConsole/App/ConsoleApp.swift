import Synchronization

/// The console's frame loop: takes the engine's events and the operator's keys, runs them
/// through the reducer, hands the resulting commands to the host, and draws frames.
///
/// Everything happens on the thread that calls ``run()``: one thread draws, at most
/// ``ConsoleOptions/framesPerSecond`` times a second, and only when something changed (or once
/// a second while a run is active, for the clock and the countdowns). Keys are read with a
/// timeout inside the same loop. Only ``finish()`` may be called from other threads, which is
/// why the class is `@unchecked Sendable`: its mutable state is confined to `run()`.
public final class ConsoleApp: @unchecked Sendable {
    private let backend: TerminalBackend
    private let events: ConsoleEventBuffer
    private let handler: ConsoleCommandHandler
    private let frameInterval: Double
    /// The themes `t` cycles through, in the order of `state.ui.themeNames`.
    private let themes: [Theme]
    private let reducer: ConsoleReducer
    private let renderer: ConsoleRenderer
    private let finishRequested = Atomic<Bool>(false)
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private var state: ConsoleState

    /// Loads the theme the options name (throwing ``ThemeError`` if it is broken) and the other
    /// themes found, for `t` to cycle through.
    public init(backend: TerminalBackend, events: ConsoleEventBuffer, handler: ConsoleCommandHandler,
                options: ConsoleOptions, keyMap: KeyMap = .standard) throws {
        self.backend = backend
        self.events = events
        self.handler = handler
        frameInterval = 1 / Double(max(1, options.framesPerSecond))
        reducer = ConsoleReducer(keyMap: keyMap)
        renderer = ConsoleRenderer(keyMap: keyMap, unicode: options.unicode)
        startedAt = clock.now

        let selected = try ThemeLoader.load(name: options.themeName, environment: options.environment,
                                            directories: options.themeDirectories)
        var themes = [selected]
        var problems: [String] = []
        for name in ThemeLoader.availableThemes(environment: options.environment, directories: options.themeDirectories)
        where name != selected.name {
            do {
                themes.append(try ThemeLoader.load(name: name, environment: options.environment,
                                                   directories: options.themeDirectories))
            } catch {
                problems.append(String(describing: error))
            }
        }
        self.themes = themes
        state = ConsoleState(themeNames: themes.map(\.name))
        for problem in problems {
            state.log.append(LogLine(elapsed: 0, attempt: 0, severity: .warning, kind: "theme", text: "skipped: \(problem)"))
        }
    }

    /// Runs the loop on the calling thread until the operator quits or ``finish()`` is called,
    /// then restores the terminal.
    public func run() {
        defer { backend.restore() }
        var buffer = CellBuffer(width: 0, height: 0)
        var lastFrame = -Double.infinity
        var dirty = true
        var lastSecond = -1
        while true {
            let now = seconds()
            let hadHint = state.ui.hint != nil
            _ = reducer.reduce(&state, .tick(now))
            if hadHint && state.ui.hint == nil { dirty = true }
            for event in events.drain() {
                _ = reducer.reduce(&state, .engine(event))
                dirty = true
            }
            if state.run.isActive && Int(now) != lastSecond {  // the clock and the countdowns move
                lastSecond = Int(now)
                dirty = true
            }
            let finishing = finishRequested.load(ordering: .acquiring)
            if (dirty || finishing) && now - lastFrame >= frameInterval {
                draw(into: &buffer)
                lastFrame = now
                dirty = false
                if finishing { return }
            }
            let untilNextFrame = max(0, lastFrame + frameInterval - seconds())
            let wait = dirty || finishing ? untilNextFrame : max(untilNextFrame, frameInterval)
            guard let key = backend.readKey(timeoutMilliseconds: Int((wait * 1000).rounded(.up))) else { continue }
            dirty = true
            guard key != .resize else { continue }
            let commands = reducer.reduce(&state, .key(key))
            for command in commands { handler.handle(command) }
            if commands.contains(.quit) { return }
        }
    }

    /// Ends ``run()`` after its next frame; callable from any thread.
    public func finish() {
        finishRequested.store(true, ordering: .releasing)
    }

    private func draw(into buffer: inout CellBuffer) {
        let size = backend.size
        renderer.render(state, width: size.width, height: size.height, into: &buffer)
        backend.draw(buffer, theme: themes[state.ui.themeIndex])
    }

    /// Seconds since the console started, on the monotonic clock.
    private func seconds() -> Double {
        let elapsed = clock.now - startedAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
