/// The console's one place of change: applies an action to the state and returns the side
/// effects it calls for. Pure, so every screen can be built and tested from events and keys.
public struct ConsoleReducer: Sendable {
    public var keyMap: KeyMap

    public init(keyMap: KeyMap = .standard) {
        self.keyMap = keyMap
    }

    public func reduce(_ state: inout ConsoleState, _ action: ConsoleAction) -> [ConsoleCommand] {
        switch action {
        case .engine(let event):
            EventReducer.apply(event, to: &state)
            return []
        case .key(let key):
            return InputReducer(keyMap: keyMap).handle(key, state: &state)
        case .tick(let now):
            state.clock.tick(now)
            if let hint = state.ui.hint, hint.expiresAt <= now { state.ui.hint = nil }
            return []
        }
    }
}
