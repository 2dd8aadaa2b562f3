import Foundation

/// The process environment and home directory that configuration is resolved from.
///
/// Injected rather than read from globals so that resolution is tested with temporary
/// directories and made-up variables.
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]
    public var homeDirectory: String

    public init(variables: [String: String], homeDirectory: String) {
        self.variables = variables
        self.homeDirectory = homeDirectory
    }

    /// This process's environment.
    public static var current: AWSEnvironment {
        let variables = ProcessInfo.processInfo.environment
        return AWSEnvironment(variables: variables,
                              homeDirectory: variables["HOME"] ?? NSHomeDirectory())
    }

    /// The value of `name`, treating an empty value as unset.
    public subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    var credentialsFilePath: String {
        expandingTilde(self["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
    }

    var configFilePath: String {
        expandingTilde(self["AWS_CONFIG_FILE"] ?? "~/.aws/config")
    }

    private func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        return homeDirectory + path.dropFirst()
    }
}
