import PollenEngine

/// Applies one key: to the filter being typed, to the quit confirmation, or, through the key
/// map, as an operator action.
struct InputReducer {
    let keyMap: KeyMap

    /// Rows moved by PgUp / PgDn.
    static let pageRows = 10

    func handle(_ key: Key, state: inout ConsoleState) -> [ConsoleCommand] {
        if state.ui.filterDraft != nil {
            editFilter(key, state: &state)
            return []
        }
        if state.ui.overlay == .confirmQuit {
            return confirmQuit(key, state: &state)
        }
        guard let action = keyMap.action(for: key) else { return [] }
        return perform(action, state: &state)
    }

    private func perform(_ action: OperatorAction, state: inout ConsoleState) -> [ConsoleCommand] {
        switch action {
        case .help:
            state.ui.overlay = state.ui.overlay == .help ? nil : .help
        case .close:
            if state.ui.overlay != nil {
                state.ui.overlay = nil
            } else if state.showsSummary, state.ui.assetFilter != nil {
                applyAssetFilter(nil, state: &state)
            } else if state.log.filter != nil {
                state.log.setFilter(nil)
            }
        case .selectPrevious: move(by: -1, state: &state)
        case .selectNext: move(by: 1, state: &state)
        case .pageUp: move(by: -Self.pageRows, state: &state)
        case .pageDown: move(by: Self.pageRows, state: &state)
        case .nextPanel: cycleFocus(by: 1, state: &state)
        case .previousPanel: cycleFocus(by: -1, state: &state)
        case .drillDown: drillDown(state: &state)
        case .filterLog:
            state.ui.overlay = nil
            if state.showsSummary {
                state.ui.focus = .assets
                state.ui.filterDraft = state.ui.assetFilter ?? ""
            } else {
                state.ui.focus = .log
                state.ui.filterDraft = state.log.filter ?? ""
            }
        case .pauseResume: return pauseOrResume(state: &state)
        case .raiseCap: return changeCap(up: true, state: &state)
        case .lowerCap: return changeCap(up: false, state: &state)
        case .rerunSelected: return rerunSelected(state: &state)
        case .rerunAll: return rerun(nil, state: &state)
        case .toggleSummary:
            if state.run.summary == nil {
                hint("the summary appears when the run has finished", state: &state)
            } else {
                state.ui.showsSummary.toggle()
            }
        case .cycleTheme:
            state.ui.themeIndex = (state.ui.themeIndex + 1) % state.ui.themeNames.count
            hint("theme: \(state.ui.themeName)", state: &state)
        case .quit:
            if state.run.isActive {
                state.ui.overlay = .confirmQuit
            } else {
                return [.quit]
            }
        }
        return []
    }

    // MARK: - Typing and confirming

    private func editFilter(_ key: Key, state: inout ConsoleState) {
        switch key {
        case .character(let character):
            state.ui.filterDraft?.append(character)
        case .backspace:
            _ = state.ui.filterDraft?.popLast()
        case .enter:
            if state.showsSummary {
                applyAssetFilter(state.ui.filterDraft, state: &state)
            } else {
                state.log.setFilter(state.ui.filterDraft)
            }
            state.ui.filterDraft = nil
        case .escape:
            if state.showsSummary {
                applyAssetFilter(nil, state: &state)
            } else {
                state.log.setFilter(nil)
            }
            state.ui.filterDraft = nil
        default:
            break
        }
    }

    private func applyAssetFilter(_ text: String?, state: inout ConsoleState) {
        state.ui.assetFilter = FilterText.normalized(text)
        state.ui.selectedAsset = 0
    }

    private func confirmQuit(_ key: Key, state: inout ConsoleState) -> [ConsoleCommand] {
        switch key {
        case .character("y"), .character("Y"):
            state.ui.overlay = nil
            let writing = state.run.state == .running || state.run.state == .paused
            return writing ? [.drain, .quit] : [.quit]
        case .character("n"), .character("N"), .escape:
            state.ui.overlay = nil
            hint("still running", state: &state)
        default:
            break
        }
        return []
    }

    // MARK: - Moving around

    private func move(by rows: Int, state: inout ConsoleState) {
        if case .drillDown(let target, let scroll) = state.ui.overlay {
            state.ui.overlay = .drillDown(target, scroll: max(0, scroll + rows))
            return
        }
        guard state.ui.overlay == nil else { return }
        switch state.ui.focus {
        case .tables:
            state.ui.selectedTable = clamp(state.ui.selectedTable + rows, count: state.tables.count)
        case .assets:
            state.ui.selectedAsset = clamp(state.ui.selectedAsset + rows, count: state.listedAssets.count)
        case .log:
            // Up scrolls back into older lines; down returns towards the newest.
            state.log.scrollBack = clamp(state.log.scrollBack - rows, count: state.log.matchingCount)
        }
    }

    private func clamp(_ value: Int, count: Int) -> Int {
        min(max(0, value), max(0, count - 1))
    }

    private func cycleFocus(by step: Int, state: inout ConsoleState) {
        let panels = Panel.allCases
        let index = panels.firstIndex(of: state.ui.focus)!
        state.ui.focus = panels[(index + step + panels.count) % panels.count]
    }

    private func drillDown(state: inout ConsoleState) {
        switch state.ui.focus {
        case .tables:
            guard let row = state.selectedTable else { return hint("no table to show yet", state: &state) }
            state.ui.overlay = .drillDown(.table(row.table), scroll: 0)
        case .assets:
            guard let row = state.selectedAsset else { return hint("no asset has started yet", state: &state) }
            state.ui.overlay = .drillDown(.asset(row.symbol), scroll: 0)
        case .log:
            hint("select a table or an asset (Tab) to see its details", state: &state)
        }
    }

    // MARK: - Commands

    private func pauseOrResume(state: inout ConsoleState) -> [ConsoleCommand] {
        switch state.run.state {
        case .running?:
            hint("pausing: in-flight batches finish", state: &state)
            return [.pause]
        case .paused?:
            hint("resuming", state: &state)
            return [.resume]
        case .draining?:
            hint("draining: the run is ending and cannot be paused", state: &state, warning: true)
        case .done?:
            hint("the run has finished", state: &state)
        case nil:
            hint("the run has not started", state: &state)
        }
        return []
    }

    /// Asks the engine for the next cap up or down; the header shows it once the engine
    /// announces it.
    private func changeCap(up: Bool, state: inout ConsoleState) -> [ConsoleCommand] {
        guard let cap = state.requestedCap ?? state.cap, state.run.isActive else {
            hint("the write-rate cap changes while a run is writing", state: &state)
            return []
        }
        guard let next = cap.stepped(up: up) else {
            hint("write-rate cap already at \(NumberText.percent(cap.capacityPercent))", state: &state)
            return []
        }
        state.requestedCap = next
        hint("write-rate cap \(NumberText.percent(next.capacityPercent)) of capacity", state: &state)
        return [.setCapacityCap(next)]
    }

    private func rerunSelected(state: inout ConsoleState) -> [ConsoleCommand] {
        guard state.ui.focus == .tables, let row = state.selectedTable else {
            hint("select a table to re-run (Tab to the tables)", state: &state)
            return []
        }
        return rerun(row.table, state: &state)
    }

    private func rerun(_ table: PollenTable?, state: inout ConsoleState) -> [ConsoleCommand] {
        guard state.run.isFinished else {
            hint("re-runs start once this run has finished", state: &state, warning: true)
            return []
        }
        let failing = state.assetsFailing(table)
        guard !failing.isEmpty else {
            hint(table.map { "\($0.rawValue) has no failures to re-run" } ?? "nothing failed: nothing to re-run",
                 state: &state)
            return []
        }
        state.pendingRerun = RerunRequest(table: table)
        let what = table.map { "\($0.rawValue) for \(failing.count) assets" } ?? "\(failing.count) assets"
        hint("re-running \(what)", state: &state)
        return [.rerun(table: table)]
    }

    private func hint(_ text: String, state: inout ConsoleState, warning: Bool = false) {
        state.ui.hint = Hint(text: text, isWarning: warning, expiresAt: state.clock.now + Hint.lifetime)
    }
}
