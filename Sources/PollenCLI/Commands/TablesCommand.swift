import ArgumentParser

/// `pollen tables`: creates and describes the six tables of CONTRACT section 1.
struct TablesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "Create or describe Pollen's six DynamoDB tables.",
        subcommands: [TablesCreateCommand.self, TablesDescribeCommand.self]
    )
}
