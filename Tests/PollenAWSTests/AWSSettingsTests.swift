import Foundation
import PollenTestSupport
import XCTest
@testable import PollenAWS

final class AWSSettingsTests: XCTestCase {
    var home: TemporaryDirectory!

    override func setUp() {
        home = TemporaryDirectory(prefix: "pollen-home")
    }

    func environment(_ variables: [String: String]) -> AWSEnvironment {
        AWSEnvironment(variables: variables, homeDirectory: home.path)
    }

    func resolve(_ variables: [String: String], _ overrides: AWSSettings.Overrides = .init()) throws -> AWSSettings {
        try AWSSettings.resolve(for: .dynamoDB, overrides: overrides, environment: environment(variables))
    }

    func assertFails(_ variables: [String: String], _ overrides: AWSSettings.Overrides = .init(),
                     with expected: AWSConfigurationError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try resolve(variables, overrides), file: file, line: line) { error in
            XCTAssertEqual(error as? AWSConfigurationError, expected, file: file, line: line)
        }
    }

    func testEnvironmentCredentialsRegionAndDefaultEndpoint() throws {
        let settings = try resolve(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
                                    "AWS_SESSION_TOKEN": "envtoken", "AWS_REGION": "eu-central-1"])
        XCTAssertEqual(settings.credentials.accessKeyID, "AKIDENV")
        XCTAssertEqual(settings.credentials.secretAccessKey, "envsecret")
        XCTAssertEqual(settings.credentials.sessionToken, "envtoken")
        XCTAssertEqual(settings.credentials.source, "environment")
        XCTAssertEqual(settings.region, "eu-central-1")
        XCTAssertEqual(settings.endpoint.absoluteString, "https://dynamodb.eu-central-1.amazonaws.com/")
    }

    func testRegionPrecedence() throws {
        try home.write("[default]\nregion = ap-south-1\n", to: ".aws/config")
        let base = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"]
        XCTAssertEqual(try resolve(base).region, "ap-south-1")
        XCTAssertEqual(try resolve(base.merging(["AWS_DEFAULT_REGION": "us-west-1"]) { $1 }).region, "us-west-1")
        XCTAssertEqual(try resolve(base.merging(["AWS_DEFAULT_REGION": "us-west-1", "AWS_REGION": "us-west-2"]) { $1 }).region,
                       "us-west-2")
        XCTAssertEqual(try resolve(base.merging(["AWS_REGION": "us-west-2"]) { $1 }, .init(region: "sa-east-1")).region,
                       "sa-east-1")
    }

    func testEndpointPrecedence() throws {
        let base = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_REGION": "us-east-1"]
        XCTAssertEqual(try resolve(base.merging(["AWS_ENDPOINT_URL": "http://127.0.0.1:9"]) { $1 }).endpoint.absoluteString,
                       "http://127.0.0.1:9/")
        let both = base.merging(["AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:8"]) { $1 }
        XCTAssertEqual(try resolve(both).endpoint.absoluteString, "http://localhost:8/")
        XCTAssertEqual(try resolve(both, .init(endpointURL: "https://example.test:4443")).endpoint.absoluteString,
                       "https://example.test:4443/")
        // CloudWatch reads its own variable, not DynamoDB's.
        let cloudWatch = try AWSSettings.resolve(for: .cloudWatch, environment: environment(both))
        XCTAssertEqual(cloudWatch.endpoint.absoluteString, "http://127.0.0.1:9/")
    }

    func testSharedCredentialsFileProfilesAndConfigFileProfiles() throws {
        try home.write("""
            # comment
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = defaultsecret

            [ops]
            aws_access_key_id=AKIDOPS
            aws_secret_access_key=opssecret
            aws_session_token = opstoken
            """, to: ".aws/credentials")
        try home.write("""
            [default]
            region = us-east-2
            [profile ops]
            region = eu-west-3
            [profile cfgonly]
            region = eu-north-1
            aws_access_key_id = AKIDCFG
            aws_secret_access_key = cfgsecret
            """, to: ".aws/config")
        let defaults = try resolve([:])
        XCTAssertEqual(defaults.credentials.accessKeyID, "AKIDDEFAULT")
        XCTAssertEqual(defaults.region, "us-east-2")
        XCTAssertTrue(defaults.credentials.source.contains(".aws/credentials"))

        let ops = try resolve(["AWS_PROFILE": "ops"])
        XCTAssertEqual(ops.credentials.accessKeyID, "AKIDOPS")
        XCTAssertEqual(ops.credentials.sessionToken, "opstoken")
        XCTAssertEqual(ops.region, "eu-west-3")

        let configOnly = try resolve([:], .init(profile: "cfgonly"))
        XCTAssertEqual(configOnly.credentials.accessKeyID, "AKIDCFG")
        XCTAssertEqual(configOnly.region, "eu-north-1")
    }

    func testExplicitProfileWinsOverEnvironmentCredentialsButAWSProfileDoesNot() throws {
        try home.write("[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = s\n", to: ".aws/credentials")
        let env = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e", "AWS_REGION": "us-east-1"]
        XCTAssertEqual(try resolve(env, .init(profile: "ops")).credentials.accessKeyID, "AKIDOPS")
        XCTAssertEqual(try resolve(env.merging(["AWS_PROFILE": "ops"]) { $1 }).credentials.accessKeyID, "AKIDENV")
    }

    func testCustomFileLocations() throws {
        let credentials = try home.write("[default]\naws_access_key_id = AKIDX\naws_secret_access_key = x\n", to: "elsewhere/creds")
        let config = try home.write("[default]\nregion = me-south-1\n", to: "elsewhere/conf")
        let settings = try resolve(["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config])
        XCTAssertEqual(settings.credentials.accessKeyID, "AKIDX")
        XCTAssertEqual(settings.region, "me-south-1")
    }

    func testClearErrors() throws {
        assertFails(["AWS_REGION": "us-east-1"], with: .missingCredentials(profile: "default"))
        assertFails(["AWS_ACCESS_KEY_ID": "A"],
                    with: .incompleteEnvironmentCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY"))
        assertFails(["AWS_SECRET_ACCESS_KEY": "S"],
                    with: .incompleteEnvironmentCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID"))
        assertFails(["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"], with: .missingRegion(profile: "default"))
        assertFails([:], .init(profile: "nobody"), with: .profileNotFound(profile: "nobody"))
        try home.write("[profile sso]\nsso_session = corp\n", to: ".aws/config")
        assertFails([:], .init(profile: "sso"), with: .unsupportedCredentialSource(profile: "sso", setting: "sso_session"))
        try home.write("[half]\naws_access_key_id = A\n", to: ".aws/credentials")
        assertFails([:], .init(profile: "half"),
                    with: .incompleteProfileCredentials(profile: "half", file: home.path + "/.aws/credentials",
                                                        missing: "aws_secret_access_key"))
    }

    func testEndpointValidation() {
        XCTAssertThrowsError(try AWSSettings.parseEndpoint("127.0.0.1:8000"))
        XCTAssertThrowsError(try AWSSettings.parseEndpoint("ftp://host"))
        XCTAssertThrowsError(try AWSSettings.parseEndpoint("http://host/path"))
        XCTAssertThrowsError(try AWSSettings.parseEndpoint("https://user:pw@host")) { error in
            XCTAssertFalse(String(describing: error).contains("pw"), "the password must not be echoed")
        }
        XCTAssertEqual(try AWSSettings.parseEndpoint("HTTP://LocalHost:8000").absoluteString, "http://localhost:8000/")
    }

    func testErrorsAreOneSentence() {
        for error: AWSConfigurationError in [.missingCredentials(profile: "p"), .missingRegion(profile: "p"),
                                             .profileNotFound(profile: "p")] {
            XCTAssertFalse(error.description.contains("\n"))
            XCTAssertTrue(error.description.hasSuffix("."))
        }
    }

    func testCredentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(accessKeyID: "AKIDPRINT", secretAccessKey: "TOPSECRETVALUE", sessionToken: "TOKENVALUE")
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)",
                     { var out = ""; dump(credentials, to: &out); return out }()] {
            XCTAssertFalse(text.contains("TOPSECRETVALUE"), text)
            XCTAssertFalse(text.contains("TOKENVALUE"), text)
            XCTAssertTrue(text.contains("AKIDPRINT"))
        }
    }
}
