import ArgumentParser
import Foundation
import PollenAWS
import PollenDynamoDB

/// A failure that ends a command with one sentence on stderr and exit code 1.
enum CLIFailure: Error, CustomStringConvertible {
    case message(String)

    var description: String {
        switch self {
        case .message(let text): return text
        }
    }

    /// The one sentence an operator sees for `error`.
    static func sentence(for error: Error, endpoint: String? = nil) -> String {
        switch error {
        case let error as AWSConfigurationError:
            return error.description
        case let error as DynamoDBError where error.category == .connection:
            return "Cannot reach DynamoDB at \(endpoint ?? "the endpoint"): \(error.message)."
        case let error as DynamoDBError where error.category == .authentication:
            return "DynamoDB rejected the credentials (\(error.code)): \(error.message.isEmpty ? "check the access key, secret and session token" : error.message)."
        case let error as DynamoDBError:
            return error.description
        case let error as CLIFailure:
            return error.description
        default:
            return String(describing: error)
        }
    }
}

/// Runs a command body; any failure becomes one line on stderr and exit code 1.
func reportingFailures(endpoint: @autoclosure () -> String? = nil, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        StandardStreams.err("pollen: \(CLIFailure.sentence(for: error, endpoint: endpoint()))\n")
        throw ExitCode(1)
    }
}
