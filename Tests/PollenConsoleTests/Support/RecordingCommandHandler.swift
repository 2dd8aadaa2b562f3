import PollenConsole
import Synchronization

/// The host's side, recorded.
final class RecordingCommandHandler: ConsoleCommandHandler {
    private let commands = Mutex<[ConsoleCommand]>([])

    func handle(_ command: ConsoleCommand) {
        commands.withLock { $0.append(command) }
    }

    var received: [ConsoleCommand] { commands.withLock { $0 } }
}
