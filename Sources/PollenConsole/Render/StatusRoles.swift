import PollenEngine

// The role each status is drawn in: the one place that decides which states are good news,
// which need a look and which are trouble.

extension RunState {
    var role: ThemeRole {
        switch self {
        case .running: return .ok
        case .paused, .draining: return .warn
        case .done: return .accent
        }
    }
}

extension AssetStatus {
    var role: ThemeRole {
        switch self {
        case .complete: return .ok
        case .partial: return .warn
        case .failed: return .error
        }
    }
}

extension AssetPhase {
    var role: ThemeRole {
        switch self {
        case .queued: return .muted
        case .writing: return .accent
        case .complete: return .ok
        case .partial: return .warn
        case .failed: return .error
        }
    }
}

extension TableStatus {
    var role: ThemeRole {
        switch self {
        case .waiting, .idle: return .muted
        case .writing: return .ok
        case .throttled, .backingOff: return .warn
        case .done: return .ok
        case .failed, .unavailable: return .error
        }
    }
}

extension LogSeverity {
    var role: ThemeRole {
        switch self {
        case .info: return .muted
        case .warning: return .warn
        case .error: return .error
        case .milestone: return .accent
        }
    }
}
