import Foundation

/// Everything a service client needs to reach AWS: credentials, region and endpoint.
///
/// Resolution follows the AWS conventions that CONTRACT section 3 names, in this order:
/// - profile: `--profile`, `AWS_PROFILE`, `default`;
/// - credentials: the environment (unless `--profile` was given), the shared credentials
///   file, the config file;
/// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`;
/// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
///   profile's `endpoint_url`, then the service's public endpoint for the region.
public struct AWSSettings: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var endpoint: URL
    public var profile: String

    public init(credentials: AWSCredentials, region: String, endpoint: URL, profile: String = "default") {
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
    }

    /// What the operator passed on the command line; `nil` means "not given".
    public struct Overrides: Sendable {
        public var profile: String?
        public var region: String?
        public var endpointURL: String?

        public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil) {
            self.profile = profile
            self.region = region
            self.endpointURL = endpointURL
        }
    }

    /// Resolves the settings for `service` (for example `AWSService.dynamoDB`).
    public static func resolve(for service: AWSService, overrides: Overrides = Overrides(),
                               environment: AWSEnvironment = .current) throws -> AWSSettings {
        let explicitProfile = overrides.profile.flatMap { $0.isEmpty ? nil : $0 }
        let profileName = explicitProfile ?? environment["AWS_PROFILE"] ?? "default"
        let credentialsFile = try SharedConfigFile.load(path: environment.credentialsFilePath, kind: .credentials)
        let configFile = try SharedConfigFile.load(path: environment.configFilePath, kind: .config)
        let fromCredentialsFile = credentialsFile.profile(named: profileName)
        let fromConfigFile = configFile.profile(named: profileName)
        if profileName != "default", fromCredentialsFile == nil, fromConfigFile == nil {
            throw AWSConfigurationError.profileNotFound(profile: profileName)
        }

        let credentials = try resolveCredentials(
            profile: profileName, useEnvironment: explicitProfile == nil, environment: environment,
            files: [(credentialsFile, fromCredentialsFile), (configFile, fromConfigFile)])

        let configuredRegion = overrides.region.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? fromConfigFile?["region"]
        guard let region = configuredRegion, !region.isEmpty else {
            throw AWSConfigurationError.missingRegion(profile: profileName)
        }

        let endpointText = overrides.endpointURL.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)"]
            ?? environment["AWS_ENDPOINT_URL"]
            ?? fromConfigFile?["endpoint_url"]
            ?? "https://\(service.endpointPrefix).\(region).amazonaws.com"
        return AWSSettings(credentials: credentials, region: region,
                           endpoint: try parseEndpoint(endpointText), profile: profileName)
    }

    private static func resolveCredentials(
        profile: String, useEnvironment: Bool, environment: AWSEnvironment,
        files: [(SharedConfigFile, [String: String]?)]
    ) throws -> AWSCredentials {
        if useEnvironment {
            let key = environment["AWS_ACCESS_KEY_ID"]
            let secret = environment["AWS_SECRET_ACCESS_KEY"]
            switch (key, secret) {
            case let (key?, secret?):
                return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                      sessionToken: environment["AWS_SESSION_TOKEN"], source: "environment")
            case (.some, nil):
                throw AWSConfigurationError.incompleteEnvironmentCredentials(
                    present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY")
            case (nil, .some):
                throw AWSConfigurationError.incompleteEnvironmentCredentials(
                    present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID")
            case (nil, nil):
                break
            }
        }
        for (file, settings) in files {
            guard let settings else { continue }
            let key = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
            switch (key, secret) {
            case let (key?, secret?):
                return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                      sessionToken: settings["aws_session_token"],
                                      source: "profile \(profile) in \(file.path)")
            case (.some, nil):
                throw AWSConfigurationError.incompleteProfileCredentials(
                    profile: profile, file: file.path, missing: "aws_secret_access_key")
            case (nil, .some):
                throw AWSConfigurationError.incompleteProfileCredentials(
                    profile: profile, file: file.path, missing: "aws_access_key_id")
            case (nil, nil):
                for setting in ["role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"]
                where settings[setting] != nil {
                    throw AWSConfigurationError.unsupportedCredentialSource(profile: profile, setting: setting)
                }
            }
        }
        throw AWSConfigurationError.missingCredentials(profile: profile)
    }

    /// Checks that `text` is an absolute http(s) URL with a host and no path, query or user info.
    public static func parseEndpoint(_ text: String) throws -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw AWSConfigurationError.invalidEndpoint(text, reason: "it is not an absolute http:// or https:// URL")
        }
        if components.user != nil || components.password != nil {
            throw AWSConfigurationError.invalidEndpoint("\(scheme)://\(host)", reason: "it must not contain user information")
        }
        if !(components.path.isEmpty || components.path == "/") || components.query != nil {
            throw AWSConfigurationError.invalidEndpoint(text, reason: "it must not have a path or query")
        }
        var clean = URLComponents()
        clean.scheme = scheme
        clean.host = host.lowercased()
        clean.port = components.port
        clean.path = "/"
        return clean.url!
    }
}
