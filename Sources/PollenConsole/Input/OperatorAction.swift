/// What the operator asks for with a key, whatever the key is: the key map binds keys to these,
/// and the reducer acts on them.
public enum OperatorAction: String, CaseIterable, Sendable {
    case help
    case selectPrevious, selectNext, pageUp, pageDown
    case nextPanel, previousPanel
    case drillDown, close
    case rerunSelected, rerunAll
    case pauseResume, raiseCap, lowerCap
    case filterLog
    case toggleSummary
    case cycleTheme
    case quit
}
