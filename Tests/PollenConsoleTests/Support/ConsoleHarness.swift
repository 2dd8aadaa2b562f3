@testable import PollenEngine
import PollenConsole

/// A console state and the reducer, driven the way the app drives them: events, keys, ticks.
/// Keeps the commands each step returned.
struct ConsoleHarness {
    var state: ConsoleState
    let reducer = ConsoleReducer()

    init(_ events: [EngineEvent] = [], themeNames: [String] = ["default"]) {
        state = ConsoleState(themeNames: themeNames)
        feed(events)
    }

    mutating func feed(_ events: [EngineEvent]) {
        for event in events { _ = reducer.reduce(&state, .engine(event)) }
    }

    mutating func feed(_ event: EngineEvent) {
        feed([event])
    }

    /// Presses `keys` in order and returns every command they produced.
    @discardableResult
    mutating func press(_ keys: Key...) -> [ConsoleCommand] {
        keys.flatMap { reducer.reduce(&state, .key($0)) }
    }

    /// Types `text` one character at a time.
    @discardableResult
    mutating func type(_ text: String) -> [ConsoleCommand] {
        text.flatMap { reducer.reduce(&state, .key(.character($0))) }
    }

    mutating func tick(_ now: Double) {
        _ = reducer.reduce(&state, .tick(now))
    }

    /// A short run that has finished: AAPL complete; MSFT partial (earnings failed).
    static func finishedRun() -> [EngineEvent] {
        [
            Events.runStarted(0, assets: 2),
            Events.assetStarted(0.1, "AAPL"),
            Events.assetStarted(0.1, "MSFT"),
            Events.tableFinished(3, "AAPL", .earnings, .ok, written: 40),
            Events.tableFinished(3, "AAPL", .cashFlow, .ok, written: 40),
            Events.batchFailed(3.5, 7, "MSFT", .earnings, keys: ["MSFT#2020-Q1", "MSFT#2020-Q2"], attempts: 3,
                               error: "gave up after 3 attempts without progress: throttled"),
            Events.tableFinished(4, "MSFT", .earnings, .failed, written: 38, failed: 2,
                                 reason: "2 of 40 items not written: gave up after 3 attempts without progress: throttled"),
            Events.tableFinished(4, "MSFT", .cashFlow, .ok, written: 40),
            Events.assetMarked(4.5, "AAPL", .complete),
            Events.assetMarked(4.6, "MSFT", .partial),
            Events.stateChanged(5, .done),
            Events.summary(5, status: .partial, exitCode: 2),
        ]
    }
}
