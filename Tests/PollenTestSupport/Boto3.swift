import Foundation

/// boto3, the independent reference client: runs a Python snippet against an endpoint and
/// returns the JSON it emits.
///
/// The snippet sees `ddb` (a low-level DynamoDB client with retries off), `boto3`,
/// `botocore`, `json`, `args` (the JSON value passed in) and `emit(value)`; binary values
/// are emitted as base64 text.
public enum Boto3 {
    public static func run(_ snippet: String, endpoint: String, args: Any = [String: Any]()) throws -> Any {
        let argsJSON = String(decoding: try JSONSerialization.data(withJSONObject: args, options: [.fragmentsAllowed]),
                              as: UTF8.self)
        let result = try ProcessRunner.run(
            "/usr/bin/env", ["python3", RepositoryPaths.path("Tests/PollenTestSupport/Python/boto3_runner.py"), endpoint],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDPOLLENTEST", "AWS_SECRET_ACCESS_KEY": "pollen-test-secret",
                          "AWS_REGION": "us-east-1"],
            stdin: argsJSON + "\n" + snippet)
        guard result.exitCode == 0 else { throw Boto3Error.failed(result.stderr) }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }
}

public enum Boto3Error: Error, CustomStringConvertible {
    case failed(String)
    public var description: String {
        switch self { case .failed(let text): return "boto3 snippet failed:\n\(text)" }
    }
}
