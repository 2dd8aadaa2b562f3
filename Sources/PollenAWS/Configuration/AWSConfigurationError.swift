/// A configuration problem that stops Pollen before any request is sent.
///
/// Each case renders as one sentence that says what is missing and how to supply it; none
/// ever contains a secret.
public enum AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingCredentials(profile: String)
    case incompleteEnvironmentCredentials(present: String, missing: String)
    case incompleteProfileCredentials(profile: String, file: String, missing: String)
    case unsupportedCredentialSource(profile: String, setting: String)
    case profileNotFound(profile: String)
    case missingRegion(profile: String)
    case invalidEndpoint(String, reason: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingCredentials(let profile):
            return "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key to profile '\(profile)' in the shared credentials file."
        case .incompleteEnvironmentCredentials(let present, let missing):
            return "\(present) is set but \(missing) is not: set both, or neither to use a profile."
        case .incompleteProfileCredentials(let profile, let file, let missing):
            return "Profile '\(profile)' in \(file) has no \(missing)."
        case .unsupportedCredentialSource(let profile, let setting):
            return "Profile '\(profile)' gets its credentials through '\(setting)', which pollen does not support: export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN instead (for example with `aws configure export-credentials`)."
        case .profileNotFound(let profile):
            return "Profile '\(profile)' was not found in the shared credentials or config file."
        case .missingRegion(let profile):
            return "No AWS region: pass --region, set AWS_REGION, or set region in profile '\(profile)' of the config file."
        case .invalidEndpoint(let endpoint, let reason):
            return "Endpoint '\(endpoint)' cannot be used: \(reason)."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)."
        }
    }
}
