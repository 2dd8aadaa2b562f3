/// Which operator actions make sense right now: the footer offers only those.
extension ConsoleState {
    public func allows(_ action: OperatorAction) -> Bool {
        switch action {
        case .pauseResume: return run.state == .running || run.state == .paused
        case .raiseCap, .lowerCap: return run.isActive
        case .rerunSelected, .rerunAll: return run.isFinished && !assetsFailing(nil).isEmpty
        case .toggleSummary: return run.summary != nil
        case .help, .selectPrevious, .selectNext, .pageUp, .pageDown, .nextPanel, .previousPanel, .drillDown, .close,
             .filterLog, .cycleTheme, .quit:
            return true
        }
    }
}
